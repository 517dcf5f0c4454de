// Table tests for graph/routes.ts: every terminal decision after a run, and every edge each router can take.
import { describe, expect, it } from "vitest";
import {
  decideAfterRun,
  failureSignature,
  recursionLimitFor,
  REPEAT_LIMIT,
  routeAfterAnalyze,
  routeAfterLlmFix,
  routeAfterPatternFix,
  routeAfterRunTests,
  routeAfterValidate,
  type NodeId,
} from "../../graph/routes.js";
import type { Candidate, RunDigest, WorkflowStateValue } from "../../graph/state.js";

const run = (over: Partial<RunDigest> = {}): RunDigest => ({
  runId: 1,
  status: "failed",
  passed: 3,
  failed: 1,
  errors: 0,
  skipped: 0,
  total: 4,
  coverage: null,
  failing: ["t.py::test_a"],
  ...over,
});

type DecideState = Parameters<typeof decideAfterRun>[0];
const decideState = (over: Partial<DecideState> = {}): DecideState => ({
  iteration: 1,
  maxIterations: 5,
  keptThisIteration: 0,
  failureSignatures: [],
  modelError: null,
  ...over,
});

const sig = failureSignature(["t.py::test_a"]);

describe("decideAfterRun", () => {
  it.each<[string, Partial<DecideState>, Partial<RunDigest>, WorkflowStateValue["status"], RegExp]>([
    ["no tests collected", {}, { status: "no_tests", failing: [] }, "no_tests", /no tests were collected/],
    ["a green run", {}, { status: "passed", failed: 0, failing: [] }, "passed", /all tests pass/],
    ["a run that errored with nothing failing", {}, { status: "error", failed: 0, failing: [], message: "boom" }, "error", /^boom$/],
    ["a timeout without a message", {}, { status: "timeout", failed: 0, failing: [] }, "error", /ended with status timeout/],
    ["only known-flaky tests fail", {}, { status: "failed", failed: 2, failing: [] }, "failed", /known to be flaky/],
    ["the model became unusable", { modelError: "key rejected" }, {}, "error", /^key rejected$/],
    ["the iteration cap is reached", { iteration: 5 }, {}, "max_iterations", /after 5 iteration/],
    [
      "the same failures came back with nothing kept",
      { failureSignatures: Array(REPEAT_LIMIT - 1).fill(sig) },
      {},
      "stuck",
      /came back 3 times/,
    ],
    [
      "the same failures but a fix was kept",
      { keptThisIteration: 1, failureSignatures: Array(REPEAT_LIMIT - 1).fill(sig) },
      {},
      "running",
      /^$/,
    ],
    ["a different failing set before", { failureSignatures: [failureSignature(["t.py::test_b"]), sig] }, {}, "running", /^$/],
    ["too few repeats yet", { failureSignatures: Array(REPEAT_LIMIT - 2).fill(sig) }, {}, "running", /^$/],
  ])("%s", (_label, state, digest, status, reason) => {
    const decision = decideAfterRun(decideState(state), run(digest));
    expect(decision.status).toBe(status);
    expect(decision.reason).toMatch(reason);
  });

  it("judges a green run before the model error and the cap (a fix that made the suite green is reported as passed)", () => {
    const decision = decideAfterRun(
      decideState({ modelError: "unreachable", iteration: 5 }),
      run({ status: "passed", failed: 0, failing: [] }),
    );
    expect(decision.status).toBe("passed");
  });
});

describe("failureSignature", () => {
  it("is the same for the same tests in any order, with duplicates and volatile name parts", () => {
    expect(failureSignature(["a::x", "b::y", "a::x"])).toBe(failureSignature(["b::y", "a::x"]));
    expect(failureSignature(["t.test.ts::sorts (with seed=-912)"])).toBe(failureSignature(["t.test.ts::sorts (with seed=77)"]));
    expect(failureSignature(["a::x"])).not.toBe(failureSignature(["a::y"]));
    expect(failureSignature(["a::x"])).toMatch(/^[0-9a-f]{16}$/);
  });
});

const candidate: Candidate = {
  groupKey: "g",
  nodeIds: ["t.py::test_a"],
  proposal: { source: "pattern", strategy: "s", explanation: "e", edits: [{ file: "m.py", find: "a", replace: "b" }] },
  signature: "sig",
};

type RouteState = Pick<WorkflowStateValue, "status" | "llmQueue" | "candidates" | "llmFailedThisIteration">;
const routeState = (over: Partial<RouteState> = {}): WorkflowStateValue =>
  ({ status: "running", llmQueue: [], candidates: [], llmFailedThisIteration: false, ...over }) as WorkflowStateValue;

describe("routers", () => {
  const stopped = { status: "stuck" } as const;
  it.each<[string, (s: WorkflowStateValue) => NodeId, Partial<RouteState>, NodeId]>([
    ["run_tests → analyze while running", routeAfterRunTests, {}, "analyze"],
    ["run_tests → report once decided", routeAfterRunTests, stopped, "report"],
    ["analyze → pattern_fix while running", routeAfterAnalyze, {}, "pattern_fix"],
    ["analyze → report once decided", routeAfterAnalyze, stopped, "report"],
    [
      "pattern_fix → llm_fix " + "when groups wait for the model",
      routeAfterPatternFix,
      { llmQueue: ["g"], candidates: [candidate] },
      "llm_fix",
    ],
    ["pattern_fix → validate with candidates only", routeAfterPatternFix, { candidates: [candidate] }, "validate"],
    ["pattern_fix → report with nothing to try", routeAfterPatternFix, {}, "report"],
    ["pattern_fix → report once decided", routeAfterPatternFix, { ...stopped, llmQueue: ["g"] }, "report"],
    ["llm_fix → validate with candidates", routeAfterLlmFix, { candidates: [candidate], llmFailedThisIteration: true }, "validate"],
    ["llm_fix → run_tests after a failed answer", routeAfterLlmFix, { llmFailedThisIteration: true }, "run_tests"],
    ["llm_fix → report with nothing and no failure", routeAfterLlmFix, {}, "report"],
    ["llm_fix → report once decided", routeAfterLlmFix, { ...stopped, candidates: [candidate] }, "report"],
    ["validate → validate while candidates remain", routeAfterValidate, { candidates: [candidate] }, "validate"],
    ["validate → run_tests when the round is done", routeAfterValidate, {}, "run_tests"],
    ["validate → report once decided", routeAfterValidate, { ...stopped, candidates: [candidate] }, "report"],
  ])("%s", (_label, route, state, next) => {
    expect(route(routeState(state))).toBe(next);
  });
});

describe("recursionLimitFor", () => {
  it("grows with the cap and the candidates per round, with room for the first run and the report", () => {
    expect(recursionLimitFor(1, 0)).toBe(18);
    expect(recursionLimitFor(5, 8)).toBe(82);
    expect(recursionLimitFor(5, 9)).toBeGreaterThan(recursionLimitFor(5, 8));
  });
});
