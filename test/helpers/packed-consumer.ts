// A consumer project's node_modules as a user's install leaves it: redgreen from `npm pack`, plus only its production
// dependency closure and the consumer's own TypeScript tools (the one builder every consumer test uses).
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { packageRoot } from "../../src/paths.js";
import { runProcess } from "../../src/process/run.js";
import { dependencyClosure } from "./dependency-closure.js";

/** The consumer's own dev dependencies: a Node TypeScript project has these whatever it installs. */
const CONSUMER_TOOLS = ["typescript", "@types/node"];

/**
 * Packs redgreen into `work`, unpacks it as `consumer`/node_modules/redgreen and links the production dependency
 * closure of its manifest plus the consumer's tools beside it. Returns the names linked.
 */
export async function installPackedRedgreen(consumer: string, work: string): Promise<string[]> {
  if (!existsSync(join(packageRoot, "dist", "src", "index.d.ts"))) throw new Error("redgreen is not built: run `npm run build`");
  const packArgs = ["pack", "--ignore-scripts", "--silent", "--pack-destination", work];
  const pack = await runProcess("npm", packArgs, { cwd: packageRoot, timeoutMs: 60_000 });
  expect(pack.exitCode, pack.stderr).toBe(0);
  const tarball = join(work, pack.stdout.trim().split("\n").at(-1)!);
  const installed = join(consumer, "node_modules", "redgreen");
  mkdirSync(installed, { recursive: true });
  const untar = await runProcess("tar", ["xzf", tarball, "-C", installed, "--strip-components=1"], { cwd: work, timeoutMs: 60_000 });
  expect(untar.exitCode, untar.stderr).toBe(0);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const linked = dependencyClosure(packageRoot, [...Object.keys(manifest.dependencies), ...CONSUMER_TOOLS]);
  for (const name of linked) {
    const source = join(packageRoot, "node_modules", name);
    if (!existsSync(source)) continue; // an optional dependency for another platform
    const target = join(consumer, "node_modules", name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(realpathSync(source), target, "dir");
  }
  return linked;
}

/** The TypeScript compiler the consumer installed. */
export const consumerTsc = (consumer: string): string => join(consumer, "node_modules", "typescript", "bin", "tsc");
