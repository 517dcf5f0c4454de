// A loopback OpenAI-compatible server for tests: scripted /v1/chat/completions replies, every request recorded.
//
//   const server = await startOpenAiServer();
//   server.respondWithToolCall("propose_fix", { edits: [...] }).respondWithError(429).respondWithText("hi");
//   const llm = new ChatOpenAI({ model: "m", apiKey: "k", configuration: { baseURL: server.url } });
//   ... server.requests[0].body.temperature ...
//   await server.close();
//
// Replies are consumed first-in first-out, one per chat-completions request; an empty queue answers with the
// fallback (by default a 500 that names the problem, so a test that under-scripts fails loudly). Streaming
// requests (`stream: true`) get the same reply as server-sent events. Every completion gets a fresh id.
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Token counts to report; omitted fields are estimated from the request and reply sizes (chars / 4). */
export interface ScriptedUsage {
  promptTokens?: number;
  completionTokens?: number;
}

/** One tool call in a reply; `args` as a string is sent verbatim (use it for malformed JSON). */
export interface ScriptedToolCall {
  name: string;
  args: unknown;
  id?: string;
}

/** What the server does for one request. */
export type ScriptedReply =
  | { type: "text"; content: string; usage?: ScriptedUsage | null; finishReason?: string; model?: string }
  | { type: "tool_calls"; calls: ScriptedToolCall[]; content?: string; usage?: ScriptedUsage | null }
  /** An HTTP error with an OpenAI-style error body. */
  | { type: "error"; status: number; message?: string; headers?: Record<string, string> }
  /** Never answers; the client has to time out. The connection is dropped on close(). */
  | { type: "hang" }
  /** Waits, then sends the inner reply. */
  | { type: "delay"; ms: number; then: ScriptedReply }
  /** A raw HTTP body (invalid JSON, HTML from a proxy, ...). */
  | { type: "raw"; status?: number; body: string; contentType?: string }
  /** Computes the reply from the request (for echoing or asserting inline). */
  | { type: "dynamic"; reply: (request: RecordedRequest) => ScriptedReply };

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when the body was not JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are asserted field by field in tests
  body: any;
  rawBody: string;
  receivedAt: number;
}

export interface OpenAiTestServer {
  /** Base URL for OpenAI clients, ending in /v1. */
  readonly url: string;
  /** Every /chat/completions request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Every request to any path (including /models and unknown paths). */
  readonly allRequests: RecordedRequest[];
  enqueue(...replies: ScriptedReply[]): OpenAiTestServer;
  respondWithText(content: string, options?: { usage?: ScriptedUsage | null; finishReason?: string }): OpenAiTestServer;
  respondWithToolCall(
    name: string,
    args: unknown,
    options?: { id?: string; content?: string; usage?: ScriptedUsage | null },
  ): OpenAiTestServer;
  respondWithToolCalls(calls: ScriptedToolCall[]): OpenAiTestServer;
  respondWithError(status: number, message?: string, headers?: Record<string, string>): OpenAiTestServer;
  respondWith(reply: (request: RecordedRequest) => ScriptedReply): OpenAiTestServer;
  hang(): OpenAiTestServer;
  /** The reply used when the queue is empty. */
  setFallback(reply: ScriptedReply): OpenAiTestServer;
  /** Replies still queued. */
  pending(): number;
  /** The text of every message of request `i` (system, user, ...), joined; handy for "the prompt contains" checks. */
  promptText(i?: number): string;
  close(): Promise<void>;
}

export interface StartOpenAiServerOptions {
  /** Reply when the queue is empty; default a 500 "no scripted reply left". */
  fallback?: ScriptedReply;
}

const estimate = (text: string): number => Math.ceil(text.length / 4);

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const sendJson = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
};

const messageText = (content: unknown): string => {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p: unknown) => (p !== null && typeof p === "object" && "text" in p ? String(p.text) : "")).join("");
  }
  return "";
};

/** Starts the server on 127.0.0.1 with an ephemeral port. */
export async function startOpenAiServer(options: StartOpenAiServerOptions = {}): Promise<OpenAiTestServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const allRequests: RecordedRequest[] = [];
  let fallback: ScriptedReply = options.fallback ?? {
    type: "error",
    status: 500,
    message: "openai-server: no scripted reply left for this request",
  };
  let completionCounter = 0;
  const timers = new Set<NodeJS.Timeout>();

  const nextId = (): string => `chatcmpl-${++completionCounter}-${Math.random().toString(36).slice(2, 10)}`;

  const usageFor = (req: RecordedRequest, completionText: string, usage: ScriptedUsage | null | undefined) => {
    if (usage === null) return undefined;
    const promptTokens = usage?.promptTokens ?? estimate(JSON.stringify(req.body?.messages ?? ""));
    const completionTokens = usage?.completionTokens ?? estimate(completionText);
    return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  };

  const toolCallsJson = (calls: ScriptedToolCall[]) =>
    calls.map((c, i) => ({
      id: c.id ?? `call_${completionCounter}_${i}`,
      type: "function",
      function: { name: c.name, arguments: typeof c.args === "string" ? c.args : JSON.stringify(c.args) },
    }));

  const sendCompletion = (
    res: ServerResponse,
    req: RecordedRequest,
    reply: Extract<ScriptedReply, { type: "text" | "tool_calls" }>,
  ): void => {
    const id = nextId();
    const model = (reply.type === "text" ? reply.model : undefined) ?? String(req.body?.model ?? "test-model");
    const created = Math.floor(Date.now() / 1000);
    const content = reply.type === "text" ? reply.content : (reply.content ?? null);
    const toolCalls = reply.type === "tool_calls" ? toolCallsJson(reply.calls) : undefined;
    const finishReason = reply.type === "text" ? (reply.finishReason ?? "stop") : "tool_calls";
    const completionText = (content ?? "") + (toolCalls ? JSON.stringify(toolCalls) : "");
    const usage = usageFor(req, completionText, reply.usage);

    if (req.body?.stream === true) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      const chunk = (delta: unknown, finish: string | null, extra: Record<string, unknown> = {}): void => {
        res.write(
          "data: " +
            JSON.stringify({
              id,
              object: "chat.completion.chunk",
              created,
              model,
              choices: [{ index: 0, delta, finish_reason: finish }],
              ...extra,
            }) +
            "\n\n",
        );
      };
      chunk({ role: "assistant", content: "" }, null);
      if (content) for (const piece of content.match(/\S+\s*|\s+/g) ?? []) chunk({ content: piece }, null);
      toolCalls?.forEach((tc, index) => {
        chunk({ tool_calls: [{ index, id: tc.id, type: "function", function: { name: tc.function.name, arguments: "" } }] }, null);
        chunk({ tool_calls: [{ index, function: { arguments: tc.function.arguments } }] }, null);
      });
      chunk({}, finishReason);
      if (usage && req.body?.stream_options?.include_usage) {
        res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`);
      }
      res.end("data: [DONE]\n\n");
      return;
    }
    sendJson(res, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      ...(usage ? { usage } : {}),
    });
  };

  const play = (res: ServerResponse, req: RecordedRequest, reply: ScriptedReply): void => {
    switch (reply.type) {
      case "text":
      case "tool_calls":
        sendCompletion(res, req, reply);
        return;
      case "error":
        sendJson(
          res,
          reply.status,
          {
            error: {
              message: reply.message ?? `scripted error ${reply.status}`,
              type: reply.status === 429 ? "rate_limit_exceeded" : "server_error",
              code: null,
            },
          },
          reply.headers,
        );
        return;
      case "hang":
        return; // left open; close() drops it
      case "delay": {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) play(res, req, reply.then);
        }, reply.ms);
        timers.add(t);
        return;
      }
      case "raw":
        res.writeHead(reply.status ?? 200, { "content-type": reply.contentType ?? "application/json" });
        res.end(reply.body);
        return;
      case "dynamic":
        play(res, req, reply.reply(req));
        return;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const rawBody = await readBody(req);
      let body: unknown;
      try {
        body = rawBody === "" ? undefined : JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const path = (req.url ?? "/").split("?")[0]!;
      const recorded: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers, body, rawBody, receivedAt: Date.now() };
      allRequests.push(recorded);
      if (req.method === "POST" && /\/chat\/completions$/.test(path)) {
        requests.push(recorded);
        play(res, recorded, queue.shift() ?? fallback);
        return;
      }
      if (req.method === "GET" && /\/models$/.test(path)) {
        const models = [...new Set(requests.map((r) => String(r.body?.model ?? "test-model")))];
        sendJson(res, 200, {
          object: "list",
          data: (models.length ? models : ["test-model"]).map((id) => ({ id, object: "model", owned_by: "test" })),
        });
        return;
      }
      sendJson(res, 404, { error: { message: `openai-server: no route for ${req.method} ${path}`, type: "not_found" } });
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const api: OpenAiTestServer = {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    allRequests,
    enqueue(...replies) {
      queue.push(...replies);
      return api;
    },
    respondWithText: (content, o = {}) => api.enqueue({ type: "text", content, ...o }),
    respondWithToolCall: (name, args, o = {}) =>
      api.enqueue({
        type: "tool_calls",
        calls: [{ name, args, ...(o.id ? { id: o.id } : {}) }],
        ...(o.content !== undefined ? { content: o.content } : {}),
        ...(o.usage !== undefined ? { usage: o.usage } : {}),
      }),
    respondWithToolCalls: (calls) => api.enqueue({ type: "tool_calls", calls }),
    respondWithError: (status, message, headers) =>
      api.enqueue({ type: "error", status, ...(message !== undefined ? { message } : {}), ...(headers ? { headers } : {}) }),
    respondWith: (reply) => api.enqueue({ type: "dynamic", reply }),
    hang: () => api.enqueue({ type: "hang" }),
    setFallback(reply) {
      fallback = reply;
      return api;
    },
    pending: () => queue.length,
    promptText(i = requests.length - 1) {
      const r = requests[i];
      if (r === undefined) throw new Error(`openai-server: no request #${i} (received ${requests.length})`);
      return ((r.body?.messages ?? []) as { content: unknown }[]).map((m) => messageText(m.content)).join("\n\n");
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
  return api;
}
