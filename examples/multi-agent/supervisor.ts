// The example supervisor: a createAgent that delegates coding to the coder agent and test fixing to redgreen.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createAgent } from "langchain";
// A user of the package writes: import { createFixFailingTestsTool, createRedgreenToolkit } from "redgreen";
import { createFixFailingTestsTool } from "../../src/index.js";
import type { FixFailingTestsDeps } from "../../src/index.js";
import { createCoderAgent, createCoderTool } from "./coder.js";

export interface SupervisorOptions {
  /** The supervisor's own model: plans and calls `coder` and `fix_failing_tests`. */
  model: BaseChatModel;
  /** The coder sub-agent's model. */
  coderModel: BaseChatModel;
  /** The project both sub-agents work on. */
  projectRoot: string;
  /** How redgreen runs its workflow: e.g. `createRedgreenToolkit({ projectRoot }).deps`, or just `{ projectRoot, runWorkflow }`. */
  redgreen: FixFailingTestsDeps;
}

export const SUPERVISOR_PROMPT =
  "You lead a small team working on one Python project. For a feature request, first call `coder` with a precise task. " +
  "Then call `fix_failing_tests` once: it runs the suite and repairs failures on its own, never by weakening tests. " +
  "Finish with a short report for the user: what was built, and whether the suite is green.";

/** The supervisor agent: `coder` writes code and tests, redgreen's `fix_failing_tests` takes the suite to green. */
export function createSupervisor(options: SupervisorOptions) {
  const coder = createCoderAgent({ model: options.coderModel, projectRoot: options.projectRoot });
  return createAgent({
    model: options.model,
    tools: [createCoderTool(coder), createFixFailingTestsTool({ ...options.redgreen, projectRoot: options.projectRoot })],
    systemPrompt: SUPERVISOR_PROMPT,
    name: "supervisor",
  });
}
