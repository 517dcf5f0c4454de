// Colour in the CLI's reports through the built CLI: on a pseudo-terminal unless NO_COLOR; none on pipes unless FORCE_COLOR;
// --no-color and --json win.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { killPtys, startPty } from "./pty.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const ESC = "\x1b[";

afterEach(killPtys);

function copyTiny(): string {
  const project = join(mkdtempSync(join(tmpdir(), "redgreen-colour-")), "tiny");
  cpSync(fixturePath("chat", "tiny"), project, { recursive: true });
  return project;
}

describe("colour in `redgreen run` and `redgreen report` output", () => {
  it("is off on a pipe, on with FORCE_COLOR=1, off again with --no-color or NO_COLOR, never in --json", async () => {
    const project = copyTiny();
    // FORCE_COLOR on a pipe: the status line red, the kept fix green, the failure count of the progress lines red.
    const forced = await runCli(["run", project, "--python", testPython, "--no-llm", "--max-iterations", "1"], {
      env: { FORCE_COLOR: "1" },
    });
    expect(forced.exitCode).toBe(1);
    expectNoStackTrace(forced.stderr);
    expect(forced.stdout).toContain(`${ESC}31mRED: iteration cap reached${ESC}39m (`);
    expect(forced.stdout).toContain(`  [${ESC}32mkept${ESC}39m] iteration 1 pattern/add_import prices.py`);
    expect(forced.stderr).toContain(`, ${ESC}31m2 failed${ESC}39m\n`);
    const workflowId = /Workflow ([0-9a-f-]{36})/.exec(forced.stdout)![1]!;

    const plain = await runCli(["report", workflowId, project]);
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toContain("RED: iteration cap reached (");
    expect(plain.stdout).toContain("  [kept] iteration 1 pattern/add_import prices.py");
    expect(plain.stdout).not.toContain("\x1b");

    const forcedReport = await runCli(["report", workflowId, project], { env: { FORCE_COLOR: "1" } });
    expect(forcedReport.stdout).toContain(`${ESC}31mRED: iteration cap reached${ESC}39m`);
    expect(forcedReport.stdout.replace(new RegExp(String.raw`\x1b\[\d+m`, "g"), "")).toBe(plain.stdout);

    for (const [args, env] of [
      [["report", workflowId, project, "--no-color"], { FORCE_COLOR: "1" }],
      [["--no-color", "report", workflowId, project], { FORCE_COLOR: "1" }],
      [["report", workflowId, project], { NO_COLOR: "1" }],
      [["report", workflowId, project], { FORCE_COLOR: "0" }],
    ] as const) {
      const r = await runCli([...args], { env });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe(plain.stdout);
    }

    const json = await runCli(["report", workflowId, project, "--json"], { env: { FORCE_COLOR: "1" } });
    expect(json.stdout).not.toContain("\x1b");
    expect((JSON.parse(json.stdout) as { status: string }).status).toBe("max_iterations");
  }, 180_000); // eight CLI processes, one of them a workflow run

  it("is on for `redgreen run` on a terminal (the live progress line too), and off there with NO_COLOR=1", async () => {
    const args = (project: string) => ["run", project, "--python", testPython, "--no-llm", "--max-iterations", "1"];
    const tty = startPty(args(copyTiny()));
    expect(await tty.exited).toBe(1);
    expect(tty.output()).toContain(`${ESC}31mRED: iteration cap reached${ESC}39m (`);
    expect(tty.output()).toContain(`  [${ESC}32mkept${ESC}39m] iteration 1 pattern/add_import prices.py`);
    // The progress line is redrawn in place (\r, erase line); a failure count above 0 is red (the first draw may be 0).
    expect(tty.output()).toMatch(new RegExp(String.raw`\r\x1b\[2K\d+/3 tests done, `));
    expect(tty.output()).not.toMatch(new RegExp(String.raw`\r\x1b\[2K\d+/3 tests done, [1-9] failed`));

    const noColor = startPty(args(copyTiny()), { NO_COLOR: "1" });
    expect(await noColor.exited).toBe(1);
    expect(noColor.output()).toContain("RED: iteration cap reached (");
    expect(noColor.output()).toMatch(new RegExp(String.raw`\r\x1b\[2K\d+/3 tests done, \d failed`));
    expect(noColor.output()).not.toMatch(new RegExp(String.raw`\x1b\[[0-9;]*m`));
  }, 180_000);
});
