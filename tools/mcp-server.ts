// startMcpServer: redgreen's tools over the Model Context Protocol (stdio), same zod schemas, progress for long runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { ToolMessage } from "@langchain/core/messages";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ProgressToken, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { packageRoot } from "../src/paths.js";
import { PROGRESS_EVENT } from "./define-tool.js";
import type { RedgreenTool, ToolProgressEvent } from "./define-tool.js";
import type { ToolDeps } from "./deps.js";
import { createTools } from "./index.js";
import { WorkflowJobs } from "./workflow-jobs.js";

/** The streams the server speaks JSON-RPC on; stdout carries nothing else. */
export interface McpStreams {
  stdin: Readable;
  stdout: Writable;
}

export interface McpServerOptions {
  /** The tools to serve; createTools(deps) by default. */
  tools?: RedgreenTool[];
}

/** A running server: `closed` settles once the client disconnected (stdin ends) or close() was called, and the calls in flight stopped. */
export interface RunningMcpServer {
  readonly server: McpServer;
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

const packageVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
};

/** Forwards a tool's PROGRESS_EVENTs as MCP progress notifications (awaited, so they precede the result). */
class ProgressForwarder extends BaseCallbackHandler {
  name = "redgreen-mcp-progress";
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly send: (p: ToolProgressEvent) => Promise<void>) {
    super({ _awaitHandler: true });
  }

  override async handleCustomEvent(eventName: string, data: unknown): Promise<void> {
    if (eventName !== PROGRESS_EVENT) return;
    const p = data as ToolProgressEvent;
    // MCP requires progress to increase with every notification for one token.
    if (!(p.progress > this.last)) return;
    this.last = p.progress;
    await this.send(p);
  }
}

/**
 * The tool result text as MCP content. A tool with an outputSchema gives its result object (the ToolMessage's
 * artifact) as structuredContent, except on errors: the SDK client validates any structuredContent against the
 * outputSchema, so an error's `{"error","code"}` is the text only. Other tools' JSON object results are also given
 * as structuredContent.
 */
function toCallToolResult(message: ToolMessage, hasOutputSchema: boolean): CallToolResult {
  const text = typeof message.content === "string" ? message.content : JSON.stringify(message.content);
  const failed = message.status === "error";
  let structured: Record<string, unknown> | undefined;
  if (hasOutputSchema) {
    structured = failed ? undefined : (message.artifact as Record<string, unknown>);
  } else if (text.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) structured = parsed as Record<string, unknown>;
    } catch {
      structured = undefined;
    }
  }
  return {
    content: [{ type: "text", text }],
    ...(structured !== undefined ? { structuredContent: structured } : {}),
    ...(failed ? { isError: true } : {}),
  };
}

/**
 * The input schema registered with the SDK: it accepts any object (so invalid arguments reach defineTool, which
 * answers with the documented `{"error","code":"usage"}` result) while tools/list publishes the tool's real JSON
 * Schema, carried as metadata that the SDK's JSON Schema conversion merges in.
 */
function permissiveInput(schema: z.ZodObject): z.ZodObject {
  const { $schema: _dialect, ...published } = z.toJSONSchema(schema, { io: "input" });
  return z.looseObject({}).meta(published);
}

/**
 * Serves the tools over stdio until the client disconnects. Every call goes through the LangChain tool (same
 * validation, same error results); a request carrying a progressToken gets notifications/progress while it runs.
 */
export async function startMcpServer(deps: ToolDeps, streams: McpStreams, options: McpServerOptions = {}): Promise<RunningMcpServer> {
  // start_fix's background workflows: stopped cleanly when the client goes away, before the store closes.
  const jobs = new WorkflowJobs();
  const tools = options.tools ?? createTools(deps, { jobs });
  const server = new McpServer({ name: "redgreen", version: packageVersion() }, { capabilities: { tools: {} } });
  // Aborted when the server closes, so a test run or workflow in flight stops instead of outliving the session.
  const shutdown = new AbortController();
  // Calls still running; `closed` waits for them to wind down, so the caller can then close the store under them.
  const inFlight = new Set<Promise<unknown>>();

  for (const t of tools) {
    const config = {
      description: t.description,
      inputSchema: permissiveInput(t.schema),
      ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    };
    server.registerTool(
      t.name,
      config,
      async (args: Record<string, unknown>, extra: RequestHandlerExtra<ServerRequest, ServerNotification>) => {
        const progressToken: ProgressToken | undefined = extra._meta?.progressToken;
        const callbacks =
          progressToken === undefined
            ? []
            : [
                new ProgressForwarder((p) =>
                  extra.sendNotification({
                    method: "notifications/progress",
                    params: {
                      progressToken,
                      progress: p.progress,
                      ...(p.total !== undefined ? { total: p.total } : {}),
                      ...(p.message !== undefined ? { message: p.message } : {}),
                    },
                  }),
                ),
              ];
        const call = t.invoke(
          { type: "tool_call", id: `mcp-${String(extra.requestId)}`, name: t.name, args },
          { callbacks, signal: AbortSignal.any([extra.signal, shutdown.signal]) },
        ) as Promise<ToolMessage>;
        inFlight.add(call);
        try {
          return toCallToolResult(await call, t.outputSchema !== undefined);
        } finally {
          inFlight.delete(call);
        }
      },
    );
  }

  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  server.server.onclose = () => {
    shutdown.abort(new Error("the MCP server closed"));
    // The calls' bodies too: an aborted call rejects at once while its workflow is still stopping cleanly.
    void Promise.allSettled([...inFlight, jobs.stopAll(), ...tools.map((t) => t.settled())]).then(() => markClosed());
  };
  await server.connect(new StdioServerTransport(streams.stdin, streams.stdout));
  // The stdio transport does not notice a closed stdin by itself; a client going away ends the session.
  const onEnd = (): void => void server.close();
  streams.stdin.once("end", onEnd);
  streams.stdin.once("close", onEnd);
  return {
    server,
    closed,
    close: async () => {
      streams.stdin.off("end", onEnd);
      streams.stdin.off("close", onEnd);
      await server.close();
    },
  };
}
