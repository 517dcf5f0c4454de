// Benchmark: what `npm install redgreen` weighs. Packs the repository, installs the tarball into an empty project
// with `npm install --omit=dev`, with and without optional dependencies (mermaid), and reports node_modules MB and
// package count. Needs the npm registry. `npm run bench -- install-size`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { repoRoot } from "../lib/env.mjs";
import { diskMb, measureNodeModules } from "../lib/node-modules-size.mjs";

const VARIANTS = [
  { name: "full", label: "`npm install --omit=dev`", omit: ["dev"] },
  { name: "lean", label: "`npm install --omit=dev --omit=optional`", omit: ["dev", "optional"] },
];
/** Direct dependencies listed by weight in the full install. */
const HEAVIEST = 6;

const npm = (args, cwd, log) => {
  log(`npm ${args.join(" ")}`);
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
};

/** The top-level packages of a node_modules tree (scoped ones as @scope/name) with their MB, heaviest first. */
function heaviest(nodeModules, n) {
  const dirs = readdirSync(nodeModules)
    .filter((e) => !e.startsWith("."))
    .flatMap((e) => (e.startsWith("@") ? readdirSync(join(nodeModules, e)).map((s) => `${e}/${s}`) : [e]))
    .filter((e) => statSync(join(nodeModules, e)).isDirectory());
  return dirs
    .map((name) => ({ name, mb: diskMb(join(nodeModules, name)) }))
    .sort((a, b) => b.mb - a.mb)
    .slice(0, n);
}

export default {
  name: "install-size",
  description:
    "`npm pack` of this repository installed into an empty project (temporary npm cache, install scripts skipped), " +
    "with and without optional dependencies: node_modules size on disk (du) and package count",
  goal: "the install without optional dependencies has no mermaid and weighs at least 100 MB less",
  async run({ tmp, log }) {
    const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], repoRoot, log))[0];
    const tarball = join(tmp, packed.filename);
    const cache = join(tmp, "npm-cache");
    const variants = [];
    for (const v of VARIANTS) {
      const dir = join(tmp, v.name);
      mkdirSync(dir);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `install-size-${v.name}`, version: "1.0.0", private: true }));
      const started = performance.now();
      npm(
        ["install", ...v.omit.map((o) => `--omit=${o}`), "--ignore-scripts", "--no-audit", "--no-fund", "--cache", cache, tarball],
        dir,
        log,
      );
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const nodeModules = join(dir, "node_modules");
      variants.push({
        name: v.name,
        label: v.label,
        ...measureNodeModules(nodeModules),
        mermaid: existsSync(join(nodeModules, "mermaid")),
        seconds,
        ...(v.name === "full" ? { heaviest: heaviest(nodeModules, HEAVIEST) } : {}),
      });
    }
    const [full, lean] = variants;
    return {
      tarballMb: Math.round((packed.size / 1024 / 1024) * 10) / 10,
      tarballFiles: packed.entryCount,
      variants,
      savedMb: Math.round((full.mb - lean.mb) * 10) / 10,
      // The development install (npm ci with dev dependencies) this repository runs from, for comparison.
      repository: measureNodeModules(join(repoRoot, "node_modules")),
      met: !lean.mermaid && full.mb - lean.mb >= 100,
    };
  },
  table(r) {
    const [full] = r.variants;
    return [
      "| install | node_modules (MB, du) | packages | mermaid installed | install time (s) |",
      "| --- | --- | --- | --- | --- |",
      ...r.variants.map((v) => `| ${v.label} | ${v.mb} | ${v.packages} | ${v.mermaid ? "yes" : "no"} | ${v.seconds} |`),
      `| this repository's own \`npm ci\` (dev dependencies too) | ${r.repository.mb} | ${r.repository.packages} | yes | |`,
      "",
      `The packed tarball: ${r.tarballMb} MB, ${r.tarballFiles} files. Leaving the optional dependencies out saves ${r.savedMb} MB ` +
        `(goal — ${r.met ? "met" : "not met"}); without mermaid, \`redgreen inspect\` and \`redgreen graph --format html\` draw ` +
        `the graph as plain SVG. ` +
        `Heaviest top-level packages of the full install: ${full.heaviest.map((h) => `${h.name} ${h.mb} MB`).join(", ")}. ` +
        "Install scripts are skipped (better-sqlite3's native build is not counted). CI prints its own node_modules weight in one " +
        "line (`.ci/run`).",
    ].join("\n");
  },
};
