// rejectedOptions on the real error output of vitest's option parser.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/paths.js";
import { runProcess } from "../../../src/process/run.js";
import { rejectedOptions, rejectedOptionsMessage } from "../../../src/runners/js/rejected-options.js";
import { runnerCliPackage } from "../../../src/runners/js/runner-version.js";
import { fixturePath } from "../../helpers/python-env.js";

const tmp = mkdtempSync(join(tmpdir(), "redgreen-rejected-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("rejectedOptions", () => {
  it("names the option vitest refused, with vitest's version", async () => {
    const project = join(tmp, "passing");
    cpSync(fixturePath("vitest", "passing"), project, { recursive: true });
    symlinkSync(join(packageRoot, "node_modules"), join(project, "node_modules"), "dir");
    const bin = join(project, "node_modules", ".bin", "vitest");
    const r = await runProcess(bin, ["run", "--no-cache", "--reportOnFailur"], { cwd: project, timeoutMs: 60_000 });
    expect(r.exitCode).not.toBe(0);
    const output = `${r.stdout}\n${r.stderr}`;
    expect(rejectedOptions(output)).toEqual(["--reportOnFailur"]);
    const version = runnerCliPackage(bin)!.version;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(rejectedOptionsMessage("vitest", version, output)).toBe(
      `vitest ${version} rejected the option --reportOnFailur that redgreen passed`,
    );
  }, 60_000);

  it("finds nothing in a runner's ordinary failure output", () => {
    expect(rejectedOptions("FAIL tests/a.test.ts\n  ● adds\n    expect(received).toBe(expected)\n")).toEqual([]);
    expect(rejectedOptionsMessage("jest", "30.5.2", "Error: Cannot find module 'x'")).toBeNull();
  });
});
