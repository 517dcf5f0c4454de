// Runs the built CLI (node bin/redgreen.js) as a real child process, and copies fixture projects to temp dirs.
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { runProcess } from "../../src/process/run.js";
import { fixturePath } from "../helpers/python-env.js";

export const binPath = fileURLToPath(new URL("../../bin/redgreen.js", import.meta.url));
const builtMain = fileURLToPath(new URL("../../dist/bundle/main.js", import.meta.url));

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `redgreen ...args` with stdin closed; env entries are added to (or, when undefined, removed from) the current
 * one. `obeyFileModes` runs it without the capabilities that let root ignore permission bits (through setpriv), so a
 * root test can check what file modes stop while the checkout, readable by root alone, stays loadable.
 */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; obeyFileModes?: boolean } = {},
): Promise<CliRun> {
  if (!existsSync(builtMain)) throw new Error("the CLI is not built: run `npm run build` (npm test does it first)");
  const env: Record<string, string | undefined> = {
    ...process.env,
    REDGREEN_DB: undefined,
    REDGREEN_DEBUG: undefined,
    // Colour is decided from these (src/cli/colour.ts): a test asks for it explicitly.
    FORCE_COLOR: undefined,
    NO_COLOR: undefined,
    ...options.env,
  };
  const node = [process.execPath, binPath, ...args];
  const argv = options.obeyFileModes ? ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", ...node] : node;
  const r = await runProcess(argv[0]!, argv.slice(1), { cwd: options.cwd ?? tmpdir(), env, timeoutMs: 60_000 });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh copy of test/fixtures/cli/<name> in a temp dir (the CLI writes .redgreen/ into the project). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `redgreen-cli-${name}-`));
  const dest = join(dir, name);
  cpSync(fixturePath("cli", name), dest, { recursive: true });
  return dest;
}

/** stderr carries no JavaScript or Python stack trace. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
  expect(stderr).not.toMatch(/Traceback \(most recent call last\)/);
  expect(stderr).not.toMatch(/node:internal|\.js:\d+:\d+/);
}

/** stderr is exactly one `redgreen: ...` line (plus, when allowed, progress lines before it). */
export function expectOneErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split("\n").filter((l) => l !== "" && !l.startsWith("progress: "));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^redgreen: /);
  expect(lines[0]).toMatch(pattern);
  expectNoStackTrace(stderr);
}
