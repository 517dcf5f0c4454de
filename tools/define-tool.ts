// defineTool: a LangChain tool whose faults and invalid arguments come back as error results, never as exceptions.
import { dispatchCustomEvent } from "@langchain/core/callbacks/dispatch/web";
import { ToolMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import { tool, ToolInputParsingException } from "@langchain/core/tools";
import type { StructuredToolInterface, ToolRunnableConfig } from "@langchain/core/tools";
import type { z } from "zod";
import { isRedgreenError } from "../src/domain/errors.js";

/** Name of the LangChain custom event long-running tools emit (visible in streamEvents and callback handlers). */
export const PROGRESS_EVENT = "redgreen_progress";

/** One progress report: `progress` only grows during a call; `total` when known. */
export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** The payload of a PROGRESS_EVENT custom event. */
export interface ToolProgressEvent extends ToolProgress {
  tool: string;
}

/** What a tool body gets besides its parsed input. */
export interface ToolContext {
  /** Aborted when the caller cancels; pass it to runners and workflows. */
  signal: AbortSignal | undefined;
  /** Emits a PROGRESS_EVENT to the caller's callbacks (a no-op without any). */
  progress(p: ToolProgress): Promise<void>;
}

/** What a tool body returns: the text for a tool without an output schema, else the object the schema describes. */
export type ToolOutput<O extends z.ZodObject | undefined> = O extends z.ZodObject ? z.input<O> : string;

/** A tool's name, description, zod schemas (the one source of truth for LangChain and MCP) and body. */
export interface ToolSpec<S extends z.ZodObject, O extends z.ZodObject | undefined = undefined> {
  name: string;
  description: string;
  schema: S;
  /** The result's schema: MCP publishes it as outputSchema and returns the result as structuredContent. */
  outputSchema?: O;
  /** The result text derived from the result object; default: its compact JSON. */
  summarize?: (output: z.output<NonNullable<O>>) => string;
  /** Returns the result (text, or the object outputSchema describes); throws for faults, which become error results. */
  run(input: z.output<S>, ctx: ToolContext): Promise<ToolOutput<O>>;
}

/**
 * A redgreen tool: a LangChain structured tool whose `schema` is the zod object MCP also publishes. Its response
 * format is "content_and_artifact": the content is the result text, and a tool with an `outputSchema` gives its
 * result object as the ToolMessage's `artifact` (what MCP returns as structuredContent); an error result's artifact
 * is `{error, code}`.
 */
export type RedgreenTool = StructuredToolInterface & {
  schema: z.ZodObject;
  outputSchema?: z.ZodObject;
  name: string;
  description: string;
  /**
   * Resolves once no call's body is running. A call aborted through its signal rejects at once (LangChain races the
   * signal), while the body may still be stopping its work cleanly: a server waits for this before it closes.
   */
  settled(): Promise<void>;
};

/** The object every failed call returns: the message and a RedgreenError code ("internal" for anything else). */
export interface ErrorResult {
  error: string;
  code: string;
}

/** The error result of a fault. */
export const errorObject = (error: unknown): ErrorResult =>
  isRedgreenError(error)
    ? { error: error.message, code: error.code }
    : { error: error instanceof Error ? error.message : String(error), code: "internal" };

/** The JSON every failed call returns. */
export function errorJson(error: unknown): string {
  return JSON.stringify(errorObject(error));
}

/** True when a tool result (string content) is an error result. */
export function isErrorResult(content: unknown): boolean {
  if (typeof content !== "string" || !content.startsWith('{"error":')) return false;
  try {
    return typeof (JSON.parse(content) as { error?: unknown }).error === "string";
  } catch {
    return false;
  }
}

const isToolCall = (x: unknown): x is ToolCall =>
  typeof x === "object" && x !== null && (x as { type?: unknown }).type === "tool_call" && "args" in x;

/** The (content, artifact) pair of a result: the text, and the object when there is one. */
type Response = [string | ToolMessage, unknown];

/** As a ToolMessage with status "error" when called with a tool call (agents see the status), else the bare text. */
function errorResponse(error: ErrorResult, name: string, toolCallId: string | undefined): Response {
  const text = JSON.stringify(error);
  if (toolCallId === undefined) return [text, error];
  return [new ToolMessage({ content: text, artifact: error, tool_call_id: toolCallId, name, status: "error" }), undefined];
}

/** The zod issues as one line per issue, e.g. "nodeId: Invalid input: expected string, received number". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/**
 * Builds the tool. Faults thrown by `run` become `{"error", "code"}` results. Invalid arguments would make
 * LangChain throw ToolInputParsingException before `run` (createAgent's ToolNode turns that into an error
 * message, but a direct `tool.invoke` caller would crash), so `call` is wrapped to answer with an error result.
 */
export function defineTool<S extends z.ZodObject, O extends z.ZodObject | undefined = undefined>(spec: ToolSpec<S, O>): RedgreenTool {
  const respond = (result: ToolOutput<O>): Response => {
    if (spec.outputSchema === undefined) return [result as string, undefined];
    // A result that breaks its own schema is a fault of the tool, reported as an "internal" error result.
    const output = spec.outputSchema.parse(result) as z.output<NonNullable<O>>;
    return [spec.summarize ? spec.summarize(output) : JSON.stringify(output), output];
  };
  const running = new Set<Promise<unknown>>();
  const t = tool(
    async (input: z.output<S>, config: ToolRunnableConfig): Promise<Response> => {
      const ctx: ToolContext = {
        signal: config.signal,
        progress: async (p) => {
          try {
            await dispatchCustomEvent(PROGRESS_EVENT, { tool: spec.name, ...p } satisfies ToolProgressEvent, config);
          } catch {
            /* progress is best effort: a failing listener must not fail the call */
          }
        },
      };
      const body = spec.run(input, ctx);
      running.add(body);
      try {
        return respond(await body);
      } catch (e) {
        // An abort is the caller's decision, not a tool fault: let it propagate as LangChain does.
        if (config.signal?.aborted) throw e;
        return errorResponse(errorObject(e), spec.name, config.toolCall?.id);
      } finally {
        running.delete(body);
      }
    },
    { name: spec.name, description: spec.description, schema: spec.schema, responseFormat: "content_and_artifact" },
  ) as unknown as RedgreenTool & { call: (arg: unknown, config?: ToolRunnableConfig, tags?: string[]) => Promise<unknown> };

  const strictCall = t.call.bind(t);
  t.call = async (arg: unknown, config?: ToolRunnableConfig, tags?: string[]): Promise<unknown> => {
    try {
      return await strictCall(arg, config, tags);
    } catch (e) {
      if (!(e instanceof ToolInputParsingException)) throw e;
      const args = isToolCall(arg) ? arg.args : arg;
      const parsed = spec.schema.safeParse(args);
      const detail = parsed.success ? e.message : describeIssues(parsed.error);
      const [content] = errorResponse(
        { error: `invalid arguments for ${spec.name}: ${detail}`, code: "usage" },
        spec.name,
        isToolCall(arg) ? arg.id : config?.toolCall?.id,
      );
      return content;
    }
  };
  if (spec.outputSchema !== undefined) t.outputSchema = spec.outputSchema;
  t.settled = async () => {
    await Promise.allSettled([...running]);
  };
  return t;
}
