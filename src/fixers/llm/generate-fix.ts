// generateFixWithLlm: one failure → a FixProposal from the chat model, or a failed/skipped outcome with its reason.
import { isAbsolute, relative, sep } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { AIMessage } from "@langchain/core/messages";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { Analysis, Failure, FileEdit, FixProposal } from "../../domain/index.js";
import { readProjectText } from "../../project-path.js";
import type { LlmCallInput, LlmCallLog, LlmCallOutcome } from "./call-log.js";
import { calledDefinitions, testFocusLine } from "./context.js";
import type { CalledDefinition } from "./context.js";
import { chatModelId } from "./create-model.js";
import type { LlmModel } from "./create-model.js";
import { answerSizeProblem, editLineProblem } from "./answer-limits.js";
import { contentText, parseModelAnswer } from "./parse-answer.js";
import type { AnswerVia } from "./parse-answer.js";
import { buildFixPrompt } from "./prompt.js";
import type { FixPrompt, PreviousAttempt, SourceFiles } from "./prompt.js";
import type { SecretRedactor } from "./redact.js";
import { FIX_TOOL_DESCRIPTION, FIX_TOOL_NAME, LlmFixResponseSchema } from "./response-schema.js";
import { backoffDelay, classifyModelError, modelUnavailableReason } from "./retry.js";
import type { ModelCallError } from "./retry.js";
import { resolveLlmSettings } from "./settings.js";
import type { LlmSettings } from "./settings.js";
import { estimateTokens } from "./tokens.js";

/** What one LLM fix step produced: a proposal, a failed attempt with its reason, or a skip (no model, budget spent). */
export type LlmFixOutcome =
  | {
      kind: "proposal";
      proposal: FixProposal;
      /** How the answer arrived: a tool call, the fenced fallback block, or bare JSON. */
      via: AnswerVia;
      calls: number;
      promptTokens: number;
      completionTokens: number;
      /** Trimming rules the prompt builder applied to fit the budget. */
      trimmed: string[];
    }
  /** A call was made and produced no usable fix: the answer was unusable, the server failed, or the budget ran out mid-retry. */
  /** cause "model_unavailable": unreachable endpoint, rejected key or unknown model; no later call can succeed. */
  | { kind: "failed"; reason: string; calls: number; cause: "invalid_answer" | "model_error" | "model_unavailable" | "budget" }
  | { kind: "skipped"; reason: string };

export interface LlmFixDeps {
  model: LlmModel;
  callLog: LlmCallLog;
  /** Calls are recorded and budgeted under this id (a workflow id, or a session id outside workflows). */
  workflowId: string;
  redactor: SecretRedactor;
  /** Absolute project root: files missing from sourceFiles are read from here, and edit paths made relative to it. */
  projectRoot?: string;
  settings?: Partial<LlmSettings>;
  /** Other failures with the same root cause; summarised in the prompt. */
  relatedFailures?: readonly Failure[];
  /** Fixes already tried for this failure and undone, with the reason. */
  previousAttempts?: readonly PreviousAttempt[];
  /** Waits between retries; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic milliseconds for latency. */
  clock?: () => number;
  /** One line per notable event (retry, fallback, rejection reason). */
  log?: (line: string) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads a project file when it stays inside the project after resolving symlinks; undefined otherwise. */
const readInside = (projectRoot: string, rel: string): string | undefined => readProjectText(projectRoot, rel) ?? undefined;

/** The model's path as a project-relative POSIX path; paths leading outside stay as given so the validator rejects them. */
export function normalizeEditPath(file: string, projectRoot: string | undefined): string {
  let p = file.trim().replace(/\\/g, "/").replace(/^`|`$/g, "");
  if (projectRoot !== undefined && isAbsolute(p)) {
    const rel = relative(projectRoot, p);
    if (!rel.startsWith("..") && !isAbsolute(rel)) p = rel.split(sep).join("/");
  }
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

type ToolMode = "force" | "auto" | "none";

function bindForMode(chat: BaseChatModel, mode: ToolMode): Pick<BaseChatModel, "invoke"> {
  if (mode === "none" || chat.bindTools === undefined) return chat;
  const tool = { name: FIX_TOOL_NAME, description: FIX_TOOL_DESCRIPTION, schema: LlmFixResponseSchema };
  return chat.bindTools([tool], mode === "force" ? { tool_choice: FIX_TOOL_NAME } : { tool_choice: "auto" });
}

const NEXT_MODE: Record<ToolMode, ToolMode | null> = { force: "auto", auto: "none", none: null };

const outcomeFor = (e: ModelCallError): LlmCallOutcome =>
  e.kind === "unreachable"
    ? "connection"
    : e.kind === "fatal" || e.kind === "auth_rejected" || e.kind === "unknown_model"
      ? "error"
      : e.kind;

/** Asks the model for a fix to one failure; every call is recorded, nothing here throws for a bad answer or server. */
export async function generateFixWithLlm(
  failure: Failure,
  analysis: Analysis,
  sourceFiles: SourceFiles,
  deps: LlmFixDeps,
): Promise<LlmFixOutcome> {
  if (deps.model.kind === "skipped") return { kind: "skipped", reason: deps.model.reason };
  const { chat, name: modelName } = deps.model;
  const settings = resolveLlmSettings(deps.settings);
  const sleep = deps.sleep ?? defaultSleep;
  const clock = deps.clock ?? ((): number => performance.now());
  // Log lines can quote server errors and answers: they pass the redactor like everything else that is kept.
  const log = (line: string): void => deps.log?.(deps.redactor.redact(line));

  const sources: Record<string, string> = { ...sourceFiles };
  // The most suspicious line's file too: the prompt shows its source when it is not the file to fix.
  for (const file of [analysis.fileToFix, failure.testFile, analysis.suspiciousLines?.[0]?.file ?? null]) {
    if (file === null || file in sources || deps.projectRoot === undefined) continue;
    const text = readInside(deps.projectRoot, file);
    if (text !== undefined) sources[file] = text;
  }

  let callees: CalledDefinition[] = [];
  const testSource = sources[failure.testFile];
  if ((analysis.fileToFix === null || analysis.fileToFix === failure.testFile) && testSource !== undefined) {
    const read = (rel: string): string | undefined =>
      sources[rel] ?? (deps.projectRoot !== undefined ? readInside(deps.projectRoot, rel) : undefined);
    callees = calledDefinitions(testSource, testFocusLine(failure, testSource), read);
    for (const c of callees) sources[c.file] ??= read(c.file)!;
  }

  const prompt: FixPrompt = buildFixPrompt({
    failure,
    analysis,
    sourceFiles: sources,
    relatedFailures: deps.relatedFailures ?? [],
    previousAttempts: deps.previousAttempts ?? [],
    calledDefinitions: callees,
    allowTestEdits: settings.allowTestEdits,
    tokenBudget: settings.promptTokenBudget,
    redact: (t) => deps.redactor.redact(t),
  });
  if (prompt.trimmed.length > 0) log(`llm prompt trimmed to fit ${settings.promptTokenBudget} tokens: ${prompt.trimmed.join("; ")}`);
  const messages = [new SystemMessage(prompt.system), new HumanMessage(prompt.user)];
  const transcript = settings.storeTranscripts ? `${prompt.system}\n\n---\n\n${prompt.user}` : null;

  const record = (fields: Partial<LlmCallInput> & Pick<LlmCallInput, "attempt" | "outcome" | "latencyMs">): void => {
    deps.callLog.record({
      workflowId: deps.workflowId,
      purpose: "fix",
      nodeId: failure.nodeId,
      model: modelName,
      promptTokens: 0,
      completionTokens: 0,
      tokensEstimated: true,
      error: null,
      prompt: transcript,
      completion: null,
      ...fields,
      ...(fields.error ? { error: deps.redactor.redact(fields.error) } : {}),
    });
  };

  let mode: ToolMode = settings.toolChoice;
  let calls = 0;
  let retries = 0;
  // The completion can be as long as the model's cap, so a call goes out only when prompt + cap still fit.
  const completionCap = deps.model.maxTokens ?? settings.maxTokens;
  for (;;) {
    const spent = deps.callLog.tokensSpent(deps.workflowId);
    if (spent + prompt.estimatedTokens + completionCap > settings.workflowTokenBudget) {
      const reason =
        `skipped: token budget spent (${spent} of ${settings.workflowTokenBudget} tokens used by ${deps.workflowId}; this call ` +
        `needs about ${prompt.estimatedTokens} prompt + up to ${completionCap} completion tokens)`;
      record({ attempt: calls + 1, outcome: "skipped_budget", latencyMs: 0, error: reason, prompt: null });
      log(reason);
      return calls === 0 ? { kind: "skipped", reason } : { kind: "failed", reason, calls, cause: "budget" };
    }

    calls++;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`the model call timed out after ${settings.timeoutMs} ms`));
    }, settings.timeoutMs);
    const started = clock();
    let answer: AIMessage;
    try {
      answer = (await bindForMode(chat, mode).invoke(messages, { signal: controller.signal })) as AIMessage;
    } catch (e) {
      const err = classifyModelError(e, timedOut);
      const latencyMs = clock() - started;
      // A server that timed out or failed with 5xx may still have read (and billed) the prompt: count it, estimated.
      const billed = err.kind === "timeout" || (err.kind === "server_error" && (err.status ?? 0) >= 500) ? prompt.estimatedTokens : 0;
      record({
        attempt: calls,
        outcome: outcomeFor(err),
        latencyMs,
        promptTokens: billed,
        error: `${err.status ?? ""} ${err.message}`.trim(),
      });
      if (err.kind === "tools_unsupported" && NEXT_MODE[mode] !== null) {
        log(`llm: the server refused tool_choice=${mode} (${err.message}); asking again with ${NEXT_MODE[mode]}`);
        mode = NEXT_MODE[mode]!;
        continue;
      }
      const unavailable = modelUnavailableReason(err, { model: chatModelId(chat), endpoint: deps.model.endpoint });
      if (unavailable !== null) {
        log(`llm: ${unavailable} (${err.message})`);
        return { kind: "failed", reason: deps.redactor.redact(unavailable), calls, cause: "model_unavailable" };
      }
      if (err.retryable && retries < settings.maxRetries) {
        retries++;
        const wait = backoffDelay(settings, retries, err);
        log(`llm: ${err.kind} (${err.message}); retry ${retries}/${settings.maxRetries} in ${Math.round(wait)} ms`);
        await sleep(wait);
        continue;
      }
      const reason =
        `model call failed (${err.kind}${err.status !== undefined ? ` ${err.status}` : ""}): ${err.message}` +
        `${retries > 0 ? ` after ${retries} retr${retries === 1 ? "y" : "ies"}` : ""}`;
      log(`llm: ${reason}`);
      return { kind: "failed", reason: deps.redactor.redact(reason), calls, cause: "model_error" };
    } finally {
      clearTimeout(timer);
    }

    const latencyMs = clock() - started;
    const text = contentText(answer.content);
    const toolText = (answer.tool_calls ?? []).map((c) => JSON.stringify(c.args)).join("\n");
    const usage = answer.usage_metadata;
    const promptTokens = usage?.input_tokens ?? prompt.estimatedTokens;
    const completionTokens = usage?.output_tokens ?? estimateTokens(text + toolText);
    const tokens = { attempt: calls, latencyMs, promptTokens, completionTokens, tokensEstimated: usage?.input_tokens === undefined };
    // A huge answer is refused before it is parsed, redacted or stored (its text is not kept).
    const oversize = answerSizeProblem([text, toolText], settings);
    if (oversize !== null) {
      record({ ...tokens, completion: null, outcome: "invalid_answer", error: oversize });
      log(`llm: unusable answer from ${modelName}: ${oversize}`);
      return { kind: "failed", reason: oversize, calls, cause: "invalid_answer" };
    }
    const completion = settings.storeTranscripts ? deps.redactor.redact([text, toolText].filter(Boolean).join("\n")) : null;
    const parsed = parseModelAnswer(answer);
    const base = { ...tokens, completion };
    const unusable = parsed.ok ? editLineProblem(parsed.response.edits, settings.maxEditLineChars) : parsed.reason;
    if (!parsed.ok || unusable !== null) {
      const reason = unusable ?? "";
      record({ ...base, outcome: "invalid_answer", error: reason });
      log(`llm: unusable answer from ${modelName}: ${reason}`);
      return { kind: "failed", reason: deps.redactor.redact(reason), calls, cause: "invalid_answer" };
    }
    const edits: FileEdit[] = [];
    let refused: string | null = null;
    for (const e of parsed.response.edits) {
      const file = normalizeEditPath(deps.redactor.restore(e.file), deps.projectRoot);
      // A placeholder is restored only where the replaced text held the value, so no secret is written anew.
      const restored = deps.redactor.restoreEdit(e.find, e.replace);
      if (!restored.ok) {
        refused = `edit to ${file}: ${restored.reason}`;
        break;
      }
      const nearLine =
        file === analysis.fileToFix && analysis.lineNumber !== null
          ? analysis.lineNumber
          : file === failure.testFile
            ? testFocusLine(failure, sources[file])
            : (callees.find((c) => c.file === file)?.line ?? null);
      edits.push({
        file,
        find: restored.find,
        replace: restored.replace,
        nearLine: nearLine !== null && nearLine > 0 ? nearLine : undefined,
      });
    }
    if (refused !== null) {
      record({ ...base, outcome: "invalid_answer", error: refused });
      log(`llm: unusable answer from ${modelName}: ${refused}`);
      return { kind: "failed", reason: deps.redactor.redact(refused), calls, cause: "invalid_answer" };
    }
    record({ ...base, outcome: "proposal" });
    return {
      kind: "proposal",
      proposal: {
        source: "llm",
        strategy: analysis.fixStrategy === "llm" ? "llm" : `llm:${analysis.fixStrategy}`,
        edits,
        explanation: parsed.response.explanation,
        confidence: parsed.response.confidence,
      },
      via: parsed.via,
      calls,
      promptTokens,
      completionTokens,
      trimmed: prompt.trimmed,
    };
  }
}
