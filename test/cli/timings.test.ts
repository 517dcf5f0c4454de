// REDGREEN_TIMINGS=1: `redgreen run` writes its phase timeline (start-up, test runs, analysis, proof checks, peak RSS) to stderr.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const LINE = /^redgreen timings: (\d+\.\d{3}) s \+(\d+\.\d{3}) s (\d+) MB (.+)$/;

/** `redgreen run --json` on a copy of two-modules (two deleted imports, two pattern fixes), with the given env. */
async function runTwoModules(env: Record<string, string | undefined>) {
  const copy = copyProject(fixturePath("proof", "two-modules"));
  cleanups.push(copy.cleanup);
  const args = ["run", copy.root, "--no-llm", "--json", "--quiet", "--python", testPython, "--db", join(copy.root, "rg.db")];
  return runCli(args, { env });
}

describe("REDGREEN_TIMINGS", () => {
  it("prints one line per phase, in seconds since the process started, with the baseline, analysis, proof runs and checks", async () => {
    const r = await runTwoModules({ REDGREEN_TIMINGS: "1" });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "passed" });
    const phases = r.stderr
      .split("\n")
      .filter((l) => l.startsWith("redgreen timings:"))
      .map((l) => {
        const m = LINE.exec(l);
        expect(m, l).not.toBeNull();
        return { start: Number(m![1]), seconds: Number(m![2]), peakMb: Number(m![3]), label: m![4]! };
      });
    // Each pytest run went through a standby: the first through the one started ahead, each next through the one the
    // run before left (its own line, beside the run's).
    const standby = phases.filter((p) => p.label.startsWith("pytest standby:")).map((p) => p.label);
    // (A prestarted run has two lines: its own and the one of the run_tests node that took it.)
    const runs = phases.filter((p) => p.label.startsWith("test run:") && !p.label.startsWith("test run: prestarted")).length;
    expect(standby).toEqual(Array.from({ length: runs }, () => "pytest standby: ran the run"));
    const labels = phases.filter((p) => !p.label.startsWith("pytest standby:")).map((p) => p.label);
    // A line is written when its phase ends: the prestarted run of 4 tests may end while the rest of redgreen opens.
    expect(labels.filter((l) => !l.startsWith("test run: prestarted")).slice(0, 2)).toEqual([
      "start-up: node and the run command's modules",
      "open: store, runner, helper, language service, model",
    ]);
    // The baseline run started early (prestarted while the graph loaded), then run_tests took it.
    const order = ["test run: prestarted full, 4 tests", "test run: full, 4 tests", "node run_tests (iteration 0)"].map((l) =>
      labels.indexOf(l),
    );
    expect(order[0]).toBeGreaterThan(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(labels).toContain("load: the workflow graph's modules");
    expect(labels).toContain("node analyze (iteration 0)");
    // Each fix: its static checks, then its proof runs, inside its validate node.
    const geometry = labels.indexOf("proof checks (valid): calc/geometry.py");
    expect(geometry).toBeGreaterThan(labels.indexOf("node analyze (iteration 0)"));
    expect(labels.slice(geometry + 1, geometry + 4)).toEqual([
      "test run: targeted, 1 tests",
      "test run: affected, 1 tests",
      "node validate (iteration 1)",
    ]);
    expect(labels).toContain("proof checks (valid): calc/report.py");
    expect(labels.at(-1)).toBe("workflow");
    // The peak RSS so far: a plausible size for node, and it never goes down.
    expect(phases[0]!.peakMb).toBeGreaterThan(20);
    for (let i = 1; i < phases.length; i++) expect(phases[i]!.peakMb).toBeGreaterThanOrEqual(phases[i - 1]!.peakMb);
    // The workflow phase holds every node: none starts before it or ends after it.
    const workflow = phases.at(-1)!;
    for (const p of phases.filter((x) => x.label.startsWith("node "))) {
      expect(p.start).toBeGreaterThanOrEqual(workflow.start);
      expect(p.start + p.seconds).toBeLessThanOrEqual(workflow.start + workflow.seconds + 0.002);
    }
  }, 120_000);

  it("prints nothing without it", async () => {
    const r = await runTwoModules({ REDGREEN_TIMINGS: undefined });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("redgreen timings");
  }, 120_000);
});
