// The chat agent: langchain createAgent over redgreen's read-only tools, the failures in its prompt, replies streamed.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, ToolMessage } from "@langchain/core/messages";
import type { BaseMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { createTools, createProjectServices } from "../../../tools/index.js";
import type { ProjectServices, RedgreenTool } from "../../../tools/index.js";
import { RedgreenError } from "../../domain/errors.js";
import { contentText } from "../../fixers/llm/parse-answer.js";
import { sessionFixes } from "./fix-states.js";
import { currentFailures, sessionAnalyzer, sessionWorkflow } from "./session.js";
import type { ChatSession } from "./session.js";
import { runCounts } from "./render.js";
import type { RunnerName } from "../../runners/adapter.js";

/** Tools the chat may call on its own: they read, run tests and propose, but never change a file. */
export const CHAT_TOOL_NAMES = [
  "run_tests",
  "run_specific_test",
  "analyze_failure",
  "find_pattern_fix",
  "generate_llm_fix",
  "validate_fix",
  "get_test_report",
  "list_workflows",
] as const;

const MAX_CONTEXT_CHARS = 12_000;

/** Graph steps one question may take (a model call and a tool round are one step each). */
export const CHAT_RECURSION_LIMIT = 25;

/** LangGraph's "Recursion limit of N reached" error, recognised by its code (not by class: bundles may differ). */
const isRecursionLimit = (e: unknown): boolean =>
  e instanceof Error && ((e as { lc_error_code?: string }).lc_error_code === "GRAPH_RECURSION_LIMIT" || e.name === "GraphRecursionError");

/** What the user reads when the model kept calling tools until the step limit stopped it. */
export const stuckInToolsMessage = (toolCalls: number): string =>
  `the model made ${toolCalls} tool call${toolCalls === 1 ? "" : "s"} without answering; stopped. ` +
  "Ask a narrower question, or use /run, /failures and /show N";

/** The thread id the conversation is checkpointed under: one conversation per workflow (or per project). */
export const chatThreadId = (s: Pick<ChatSession, "workflowId" | "projectRoot">): string =>
  s.workflowId !== null ? `chat:${s.workflowId}` : `chat:project:${s.projectRoot}`;

/** The system prompt: the role, the rules, and the current failures and fix history as facts. */
export function chatSystemPrompt(s: ChatSession): string {
  const failures = currentFailures(s);
  const wf = sessionWorkflow(s);
  const facts: string[] = [`Project: ${s.projectRoot}`];
  if (wf) facts.push(`Workflow ${wf.id}: status ${wf.status}, ${wf.iterations} iteration(s).`);
  if (s.currentRun) {
    const stale = s.runStale === null ? "" : ` (made before ${s.runStale} changed the files: it may be out of date)`;
    facts.push(`Latest test run #${s.currentRun.id}: ${runCounts(s.currentRun)}${stale}.`);
  }
  facts.push(failures.length === 0 ? "No test is failing." : `Failing tests (numbered as the user sees them):`);
  const analyze = sessionAnalyzer(s);
  failures.forEach((f, i) => {
    const a = analyze(f);
    facts.push(
      `${i + 1}. ${f.nodeId}: ${f.errorType}: ${f.errorMessage.split("\n")[0]?.slice(0, 300)}` +
        ` [category ${a.errorCategory}; likely at ${a.fileToFix ?? "?"}:${a.lineNumber ?? "?"}; ${a.rootCause}]`,
    );
  });
  const fixes = sessionFixes(s);
  if (fixes.length > 0) {
    facts.push("Fix history (iteration: status source/strategy file: reason, then the diff):");
    for (const f of fixes)
      facts.push(`iteration ${f.iteration}: ${f.status} ${f.source}/${f.strategy} ${f.file}: ${f.reason}\n${f.diff.slice(0, 800)}`);
  }
  let context = facts.join("\n");
  if (context.length > MAX_CONTEXT_CHARS) context = `${context.slice(0, MAX_CONTEXT_CHARS)}\n… (cut)`;
  return [
    `You are redgreen's assistant in a terminal chat about a ${s.runtime.deps.adapter.name} project's failing tests.`,
    "Answer questions about why tests fail, what the workflow changed and what to do next, briefly and concretely,",
    "citing files and line numbers. Use the tools to look closer (run a test, analyse a failure, find a fix).",
    "You cannot change files: to apply a fix, tell the user to type /fix N (it shows the diff and asks first).",
    "Never suggest weakening or deleting a test to make it pass.",
    "",
    s.runtime.deps.llm.redactor.redact(context),
  ].join("\n");
}

/** The tool calls of the conversation no tool message answers (left behind when the step limit stopped a question). */
export function danglingToolCalls(messages: readonly BaseMessage[]): { id: string; name: string }[] {
  const answered = new Set(messages.filter((m) => ToolMessage.isInstance(m)).map((m) => (m as ToolMessage).tool_call_id));
  return messages
    .filter((m) => AIMessage.isInstance(m))
    .flatMap((m) => (m as AIMessage).tool_calls ?? [])
    .filter((c) => c.id !== undefined && !answered.has(c.id))
    .map((c) => ({ id: c.id!, name: c.name }));
}

/** The chat's tools: createTools over the session's store and model, filtered to CHAT_TOOL_NAMES. */
export function chatTools(s: ChatSession, projects: ProjectServices): RedgreenTool[] {
  const { deps } = s.runtime;
  return createTools({
    projectRoot: s.projectRoot,
    store: deps.store,
    projects,
    journal: deps.journal,
    model: deps.llm.model,
    llmCallLog: deps.llm.callLog,
    redactor: deps.llm.redactor,
    sessionId: s.workflowId !== null ? `chat-${s.workflowId}` : undefined,
  }).filter((t) => (CHAT_TOOL_NAMES as readonly string[]).includes(t.name));
}

export interface ChatAgentOptions {
  model: BaseChatModel;
  checkpointer: BaseCheckpointSaver;
  /** Per-project services for the tools; created (and closed by close()) when absent. */
  projects?: ProjectServices;
  python?: string;
  /** The runner the chat's project uses (so the tools do not detect it again). */
  runner?: RunnerName;
}

/** A chat bound to a session: ask() streams one reply; the conversation persists in the checkpointer. */
export interface ChatAgent {
  ask(
    session: ChatSession,
    question: string,
    onToken: (text: string) => void,
    signal: AbortSignal,
  ): Promise<{ text: string; toolCalls: string[] }>;
  close(): Promise<void>;
}

/** Builds the chat agent; a fresh createAgent per question carries the current failures in its system prompt. */
export function createChatAgent(options: ChatAgentOptions): ChatAgent {
  const ownProjects = options.projects === undefined;
  const projects = options.projects ?? createProjectServices({ python: options.python, runner: options.runner });
  return {
    async ask(session, question, onToken, signal) {
      const agent = createAgent({
        model: options.model,
        tools: chatTools(session, projects),
        systemPrompt: chatSystemPrompt(session),
        checkpointer: options.checkpointer,
      });
      const config = { configurable: { thread_id: chatThreadId(session) } };
      const stream = await agent.stream(
        { messages: [{ role: "user", content: question }] },
        { ...config, streamMode: "messages", signal, recursionLimit: CHAT_RECURSION_LIMIT },
      );
      let text = "";
      const toolCalls: string[] = [];
      try {
        for await (const [chunk, meta] of stream) {
          if ((meta as { langgraph_node?: string }).langgraph_node !== "model_request" || !AIMessageChunk.isInstance(chunk)) continue;
          for (const tc of chunk.tool_call_chunks ?? []) if (tc.name) toolCalls.push(tc.name);
          const piece = contentText(chunk.content);
          if (piece !== "") {
            text += piece;
            onToken(piece);
          }
        }
      } catch (e) {
        if (!isRecursionLimit(e)) throw e;
        // The conversation ends on tool calls nobody answered; a model server refuses such a history, so answer them.
        const state = await agent.graph.getState(config);
        const messages = (state.values as { messages?: BaseMessage[] }).messages ?? [];
        const stopped = danglingToolCalls(messages).map(
          (c) =>
            new ToolMessage({ tool_call_id: c.id, name: c.name, content: "not run: the question took too many steps and was stopped" }),
        );
        if (stopped.length > 0) await agent.graph.updateState(config, { messages: stopped }, "tools");
        throw new RedgreenError("model_error", stuckInToolsMessage(toolCalls.length), { cause: e });
      }
      return { text, toolCalls };
    },
    async close() {
      if (ownProjects) await projects.close();
    },
  };
}
