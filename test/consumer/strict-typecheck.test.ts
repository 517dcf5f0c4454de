// A TypeScript consumer of the packed package: `npm pack`, install it with only redgreen's production dependency closure
// (no @types/better-sqlite3), then `tsc --strict --noEmit` with skipLibCheck off over a file using the public API.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/paths.js";
import { runProcess } from "../../src/process/run.js";
import { dependencyClosure } from "../helpers/dependency-closure.js";
import { fixturePath } from "../helpers/python-env.js";

const work = mkdtempSync(join(tmpdir(), "redgreen-consumer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The consumer's own dev dependencies: a Node TypeScript project has these whatever it installs. */
const CONSUMER_TOOLS = ["typescript", "@types/node"];

async function packAndInstall(consumer: string): Promise<string[]> {
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

describe("the published package in a strict TypeScript consumer", () => {
  it("typechecks with only the production dependencies installed, and its types never name better-sqlite3", async () => {
    const consumer = join(work, "consumer");
    cpSync(fixturePath("consumer"), consumer, { recursive: true });
    const linked = await packAndInstall(consumer);
    expect(linked).toContain("better-sqlite3");
    expect(linked).not.toContain("@types/better-sqlite3");
    expect(linked).not.toContain("vitest");

    const dist = join(consumer, "node_modules", "redgreen", "dist");
    const declarations = readdirSync(dist, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".d.ts"))
      .filter((f) => /from "better-sqlite3"|langgraph-checkpoint-sqlite/.test(readFileSync(join(dist, f), "utf8")));
    expect(declarations).toEqual([]);

    const tsc = join(consumer, "node_modules", "typescript", "bin", "tsc");
    const args = [tsc, "-p", ".", "--strict", "--noEmit", "--skipLibCheck", "false", "--listFiles"];
    const r = await runProcess(process.execPath, args, { cwd: consumer, timeoutMs: 170_000 });
    const errors = r.stdout.split("\n").filter((l) => l.includes("error TS"));
    expect(errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    // The check covered the store's and the workflow's published types, not just the entry point.
    for (const file of ["src/store/store.d.ts", "graph/checkpointer.d.ts", "graph/toolkit.d.ts", "src/domain/failure.d.ts"]) {
      expect(r.stdout).toContain(join(dist, file));
    }
  }, 180_000);
});
