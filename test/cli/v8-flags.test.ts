// bin/redgreen.js sets V8's memory flags before the CLI loads: the same TypeScript program then takes less memory.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { exampleTsShop } from "../helpers/project-copy.js";
import { runCli } from "./run-cli.js";

const preload = fileURLToPath(new URL("../helpers/v8-flag-log.mjs", import.meta.url));
const repo = fileURLToPath(new URL("../..", import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/**
 * Peak RSS (MB) of a fresh node process that builds the example shop's TypeScript program four times, released in
 * between as the workflow does around its runs, with or without the flag (measured: 254-315 MB without, 180-184 with).
 */
function programPeakMb(optimizeForSize: boolean): number {
  const flag = optimizeForSize ? `(await import("node:v8")).setFlagsFromString("--optimize-for-size");` : "";
  const script = `${flag}
    const { createTsProject } = await import(${JSON.stringify(join(repo, "dist", "src", "ts-project", "project.js"))});
    const project = createTsProject({ projectRoot: ${JSON.stringify(exampleTsShop)} });
    for (let i = 0; i < 4; i++) {
      await project.warm();
      await project.diagnostics("src/cart.ts");
      project.dispose();
    }
    console.log(process.resourceUsage().maxRSS / 1024);`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repo, encoding: "utf8" }));
}

/** The young generation's size (MB) once a fresh node process kept a million small objects, with or without the flag. */
function youngGenerationMb(growthFactorOne: boolean): number {
  const flag = growthFactorOne ? `v8.setFlagsFromString("--semi-space-growth-factor=1");` : "";
  const script = `import v8 from "node:v8";
    ${flag}
    const kept = [];
    for (let i = 0; i < 1_000_000; i++) kept.push({ i, s: "x" + i });
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 2 ** 20, kept.length);`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repo, encoding: "utf8" });
  return Number(out.split(" ")[0]);
}

/** The flags bin/redgreen.js gave V8 for one command line. */
async function flagsFor(args: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-v8-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "flags.log");
  const r = await runCli(args, { env: { NODE_OPTIONS: `--import=${preload}`, REDGREEN_TEST_V8_FLAG_LOG: log } });
  expect(r.exitCode, r.stderr).toBe(0);
  return readFileSync(log, "utf8").split("\n");
}

describe("bin/redgreen.js", () => {
  it("keeps a one-shot command's young generation and code small, not a long-lived command's", async () => {
    const oneShot = await flagsFor(["run", "--help"]);
    expect(oneShot).toContain("--semi-space-growth-factor=1");
    expect(oneShot).toContain("--no-opt");
    // A one-shot command favours memory only once a run turns out big (src/process/memory-mode.ts).
    expect(oneShot).not.toContain("--optimize-for-size");
    const server = await flagsFor(["mcp", "--help"]);
    expect(server).toContain("--optimize-for-size");
    expect(server).not.toContain("--semi-space-growth-factor=1");
    expect(server).not.toContain("--no-opt");
  }, 30_000);

  it("the growth factor set at run time keeps the young generation at its starting size", () => {
    const grown = youngGenerationMb(false);
    const kept = youngGenerationMb(true);
    expect(kept, JSON.stringify({ grown, kept })).toBeLessThanOrEqual(2);
    expect(grown, JSON.stringify({ grown, kept })).toBeGreaterThanOrEqual(8);
  });

  it("sets a long-lived command's --optimize-for-size before anything else runs", async () => {
    for (const command of ["mcp", "chat", "inspect"]) expect((await flagsFor([command, "--help"]))[0]).toBe("--optimize-for-size");
  }, 30_000);

  it("the flag lowers the peak RSS of building and releasing TypeScript programs", () => {
    const without = programPeakMb(false);
    const with_ = programPeakMb(true);
    expect(with_, JSON.stringify({ without, with: with_ })).toBeLessThan(without - 30);
  }, 120_000);
});
