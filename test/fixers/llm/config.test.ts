// Model configuration from flags and environment, and building the chat model from it.
import { describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { NO_MODEL_REASON, describeModel, resolveModelConfig, splitProvider } from "../../../src/fixers/llm/config.js";
import { createChatModel, loadLlmModel } from "../../../src/fixers/llm/create-model.js";
import { RedgreenError } from "../../../src/domain/errors.js";

describe("resolveModelConfig", () => {
  it("is skipped, not an error, when no model is configured", () => {
    expect(resolveModelConfig({ env: {} })).toEqual({ kind: "skipped", reason: NO_MODEL_REASON });
    expect(resolveModelConfig({ model: "  ", env: { REDGREEN_MODEL: "" } })).toEqual({ kind: "skipped", reason: NO_MODEL_REASON });
    expect(NO_MODEL_REASON).toBe("no model configured: set REDGREEN_MODEL (and OPENAI_BASE_URL/OPENAI_API_KEY) or pass --model");
  });

  it("reads REDGREEN_MODEL, OPENAI_BASE_URL and OPENAI_API_KEY, with flags winning", () => {
    const env = { REDGREEN_MODEL: "gpt-4.1-mini", OPENAI_BASE_URL: "http://localhost:11434/v1", OPENAI_API_KEY: "sk-env" };
    expect(resolveModelConfig({ env })).toEqual({
      kind: "configured",
      config: { provider: "openai", model: "gpt-4.1-mini", baseUrl: "http://localhost:11434/v1", apiKey: "sk-env" },
    });
    expect(resolveModelConfig({ model: "qwen2.5-coder:7b", baseUrl: "http://127.0.0.1:8000/v1", apiKey: "sk-flag", env })).toEqual({
      kind: "configured",
      config: { provider: "openai", model: "qwen2.5-coder:7b", baseUrl: "http://127.0.0.1:8000/v1", apiKey: "sk-flag" },
    });
  });

  it("reads a provider prefix only when it names a known provider (Ollama tags contain colons)", () => {
    expect(splitProvider("qwen2.5-coder:7b")).toEqual({ provider: "openai", model: "qwen2.5-coder:7b" });
    expect(splitProvider("openai:gpt-4o")).toEqual({ provider: "openai", model: "gpt-4o" });
    expect(splitProvider("anthropic:claude-sonnet-4-5")).toEqual({ provider: "anthropic", model: "claude-sonnet-4-5" });
    expect(splitProvider("llama3.1:70b-instruct-q4")).toEqual({ provider: "openai", model: "llama3.1:70b-instruct-q4" });
  });

  it("refuses a base URL that is not http(s) and a provider without a model", () => {
    expect(() => resolveModelConfig({ model: "m", baseUrl: "localhost:11434", env: {} })).toThrow(RedgreenError);
    expect(() => resolveModelConfig({ model: "m", baseUrl: "ftp://host/v1", env: {} })).toThrow(/must start with http/);
    expect(() => resolveModelConfig({ model: "anthropic:", env: {} })).toThrow(/names a provider but no model/);
  });

  it("describes a model without its key", () => {
    expect(describeModel({ provider: "openai", model: "m", baseUrl: "http://h/v1", apiKey: "sk-secret" })).toBe("m @ http://h/v1");
    expect(describeModel({ provider: "anthropic", model: "c", baseUrl: undefined, apiKey: "k" })).toBe("anthropic:c");
  });
});

describe("createChatModel", () => {
  it("builds ChatOpenAI at temperature 0 with client retries off and a placeholder key for local servers", async () => {
    const model = await createChatModel(
      { provider: "openai", model: "llama3.1", baseUrl: "http://127.0.0.1:1/v1", apiKey: undefined },
      { timeoutMs: 1234 },
    );
    expect(model).toBeInstanceOf(ChatOpenAI);
    const chat = model as ChatOpenAI;
    expect(chat.temperature).toBe(0);
    expect(chat.model).toBe("llama3.1");
    expect(chat.timeout).toBe(1234);
    expect(chat.invocationParams().temperature).toBe(0);
  });

  it("reports a provider whose package is not installed as a config error", async () => {
    await expect(createChatModel({ provider: "anthropic", model: "claude-x", baseUrl: undefined, apiKey: "k" })).rejects.toMatchObject({
      code: "config",
      message: expect.stringMatching(/^cannot create the anthropic model "claude-x": Unable to import @langchain\/anthropic/),
    });
  });

  it("loadLlmModel is skipped without a model", async () => {
    expect(await loadLlmModel({ env: {} })).toEqual({ kind: "skipped", reason: NO_MODEL_REASON });
  });

  it("loadLlmModel names the endpoint a dead model's error will cite, without credentials in the URL", async () => {
    const local = await loadLlmModel({ model: "m", baseUrl: "http://user:sk-in-url@127.0.0.1:9/v1", env: {} });
    expect(local).toMatchObject({ kind: "ready", endpoint: "http://127.0.0.1:9/v1" });
    expect(await loadLlmModel({ model: "gpt-x", env: {} })).toMatchObject({ kind: "ready", endpoint: "https://api.openai.com/v1" });
  });
});
