// The graph `npx @langchain/langgraph-cli dev` serves (langgraph.json): the embeddable subgraph, without a checkpointer.
import { resolve } from "node:path";
import { buildRedgreenSubgraph } from "./subgraph.js";
import { createRedgreenToolkit } from "./toolkit.js";
import type { RedgreenToolkit } from "./toolkit.js";
import type { WorkflowDepsFactory } from "./workflow-services.js";

/**
 * Per-project toolkits for the dev server's process, opened on a project's first run and kept until it exits: the
 * server imports this module once and owns its lifetime, so this module is the composition root. Configuration
 * comes from the environment (langgraph.json's "env"): REDGREEN_PROJECT (default project), REDGREEN_PYTHON,
 * REDGREEN_DB, REDGREEN_MODEL with OPENAI_BASE_URL / OPENAI_API_KEY.
 */
const toolkits = new Map<string, RedgreenToolkit>();

const studioDeps: WorkflowDepsFactory = (projectRoot, overrides) => {
  const root = resolve(projectRoot);
  let toolkit = toolkits.get(root);
  if (toolkit === undefined) {
    const python = process.env.REDGREEN_PYTHON;
    toolkit = createRedgreenToolkit({ projectRoot: root, python: python ? python : undefined });
    toolkits.set(root, toolkit);
  }
  return toolkit.workflowDeps(root, overrides);
};

/** The compiled graph; the server attaches its own checkpointer and store, so it must not have one. */
export const graph = buildRedgreenSubgraph(studioDeps, {
  projectRoot: process.env.REDGREEN_PROJECT ? process.env.REDGREEN_PROJECT : undefined,
});
