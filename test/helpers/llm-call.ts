// One model-call record for the tests that store one (llm_calls rows, redaction, size limits, the inspector's view).
import type { LlmCallInput } from "../../src/fixers/llm/call-log.js";

/** A recorded fix call that proposed something; `over` sets what the test is about. */
export const llmCallInput = (over: Partial<LlmCallInput> = {}): LlmCallInput => ({
  workflowId: "wf-1",
  purpose: "fix",
  nodeId: "tests/test_a.py::test_x",
  model: "m",
  attempt: 1,
  promptTokens: 100,
  completionTokens: 20,
  tokensEstimated: false,
  latencyMs: 12.5,
  outcome: "proposal",
  error: null,
  prompt: "p",
  completion: "c",
  ...over,
});
