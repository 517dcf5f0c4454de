// The loopback OpenAI-compatible server, driven by the real ChatOpenAI client (other suites build on it).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage } from "@langchain/core/messages";
import type { AIMessageChunk } from "@langchain/core/messages";
import { z } from "zod";
import { startOpenAiServer } from "../../helpers/openai-server.js";
import type { OpenAiTestServer } from "../../helpers/openai-server.js";

let server: OpenAiTestServer;
beforeEach(async () => {
  server = await startOpenAiServer();
});
afterEach(async () => {
  await server.close();
});

const client = (extra: Record<string, unknown> = {}): ChatOpenAI =>
  new ChatOpenAI({ model: "local-coder", temperature: 0, apiKey: "k", maxRetries: 0, configuration: { baseURL: server.url }, ...extra });

describe("openai-server", () => {
  it("answers text and tool calls in order, with fresh ids and usage, recording each body", async () => {
    server.respondWithText("hello there").respondWithToolCall("lookup", { q: "x" }, { usage: { promptTokens: 7, completionTokens: 3 } });
    const llm = client();
    const first = await llm.invoke([new HumanMessage("hi")]);
    const bound = llm.bindTools([{ name: "lookup", description: "d", schema: z.object({ q: z.string() }) }]);
    const second = await bound.invoke([new HumanMessage("look up x")]);
    expect(first.content).toBe("hello there");
    expect(second.tool_calls).toEqual([expect.objectContaining({ name: "lookup", args: { q: "x" } })]);
    expect(second.usage_metadata).toMatchObject({ input_tokens: 7, output_tokens: 3 });
    expect(first.id).not.toBe(second.id);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.body.temperature).toBe(0);
    expect(server.requests[1]!.body.tools[0].function.name).toBe("lookup");
    expect(server.promptText(0)).toBe("hi");
    expect(server.pending()).toBe(0);
  });

  it("streams text and tool calls as server-sent events", async () => {
    server.respondWithText("one two three").respondWithToolCall("lookup", { q: "y" });
    const llm = client({ streaming: true });
    const chunks: string[] = [];
    for await (const c of await llm.stream([new HumanMessage("count")])) chunks.push(String(c.content));
    expect(chunks.join("")).toBe("one two three");
    expect(chunks.filter((c) => c !== "").length).toBeGreaterThan(1);
    // stream(), not invoke(): ChatOpenAI's invoke with streaming:true estimates tokens with tiktoken, which downloads
    // its encoding from the network and hangs offline.
    const bound = llm.bindTools([{ name: "lookup", description: "d", schema: z.object({ q: z.string() }) }]);
    let msg: AIMessageChunk | undefined;
    for await (const c of await bound.stream([new HumanMessage("look")])) msg = msg === undefined ? c : msg.concat(c);
    expect(msg?.tool_calls?.[0]).toMatchObject({ name: "lookup", args: { q: "y" } });
    expect(server.requests[0]!.body.stream).toBe(true);
  });

  it("sends scripted errors, raw bodies, and falls back loudly when the queue is empty", async () => {
    server
      .respondWithError(429, "slow down", { "retry-after": "0" })
      .enqueue({ type: "raw", status: 502, body: "<html>bad gateway</html>", contentType: "text/html" });
    const llm = client();
    await expect(llm.invoke("a")).rejects.toMatchObject({ status: 429 });
    await expect(llm.invoke("b")).rejects.toMatchObject({ status: 502 });
    await expect(llm.invoke("c")).rejects.toThrow(/no scripted reply left/);
    const models = (await fetch(`${server.url}/models`).then((r) => r.json())) as { data: { id: string }[] };
    expect(models.data[0]?.id).toBe("local-coder");
  });

  it("hangs until the client gives up, and still closes promptly", async () => {
    server.hang();
    const llm = client({ timeout: 200 });
    const t0 = Date.now();
    await expect(llm.invoke("wait")).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("computes replies from the request", async () => {
    server.respondWith((req) => ({ type: "text", content: `echo: ${req.body.messages.at(-1).content}` }));
    expect((await client().invoke("ping")).content).toBe("echo: ping");
  });
});
