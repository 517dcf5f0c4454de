// The npm packages a project may import: package names of bare specifiers, and what its package.json files declare.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export const packageNameOf = (specifier: string): string => {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
};

/**
 * The packages declared (every dependency kind, plus the manifest's own name) by the package.json files from `fromDir`
 * up to the project root; `fromDir` defaults to the root. A manifest that does not parse declares nothing.
 */
export function declaredPackages(projectRoot: string, fromDir: string = projectRoot): Set<string> {
  const declared = new Set<string>();
  const root = resolve(projectRoot);
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const json = JSON.parse(readFileSync(manifest, "utf8")) as Record<string, unknown>;
        if (typeof json.name === "string") declared.add(json.name);
        for (const field of DEPENDENCY_FIELDS) {
          const deps = json[field];
          if (deps && typeof deps === "object") for (const name of Object.keys(deps)) declared.add(name);
        }
      } catch {
        // Unparseable: declares nothing (the syntax check reports it when a fix edits it).
      }
    }
    if (dir === root || dirname(dir) === dir || !dir.startsWith(root + sep)) break;
  }
  return declared;
}
