// Child process for the concurrency test: waits for a shared start time, then writes runs, logs and fix attempts.
import { openStore } from "../../dist/src/store/index.js";

const [dbPath, countText, startAtText, tag] = process.argv.slice(2);
const count = Number(countText);
const store = openStore(dbPath);
const workflow = store.createWorkflow({ id: `wf-${tag}`, projectPath: `/proj/${tag}` });
while (Date.now() < Number(startAtText)) {
  /* spin so both writers start in the same millisecond */
}
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < count; i++) {
  // A millisecond between writes lets the other process in, so the writes interleave instead of running back to back.
  Atomics.wait(pause, 0, 0, 1);
  const result = {
    status: "failed",
    passed: i,
    failed: 1,
    errors: 0,
    skipped: 0,
    total: i + 1,
    durationSeconds: 0.01,
    failures: [
      {
        nodeId: `t.py::test_${tag}_${i}`,
        testFile: "t.py",
        testName: `test_${i}`,
        errorType: "AssertionError",
        errorMessage: "x",
        stackTrace: "",
        lineNumber: 1,
        frames: [],
        phase: "call",
        durationSeconds: 0,
      },
    ],
    coverage: null,
    command: ["pytest"],
    slowTests: [],
  };
  store.saveResultsToWorkflow(workflow.id, result);
  store.createAgentLog({ workflowId: workflow.id, agentId: tag, phase: "run_tests", action: `write ${i}`, status: "success" });
  store.recordFixAttempt(workflow.id, {
    iteration: i,
    file: "a.py",
    source: "pattern",
    strategy: "s",
    status: "kept",
    risk: "low",
    reason: "r",
    diff: "",
  });
}
store.close();
process.stdout.write(`done ${tag}\n`);
