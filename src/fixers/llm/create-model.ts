// createChatModel: the LangChain chat model for a resolved ModelConfig, always at temperature 0.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { RedgreenError } from "../../domain/errors.js";
import { describeModel, resolveModelConfig } from "./config.js";
import { DEFAULT_LLM_SETTINGS } from "./settings.js";
import type { ModelConfig, ResolveModelConfigInput } from "./config.js";

export interface CreateChatModelOptions {
  /** Per-request timeout handed to the HTTP client; the caller also aborts at its own deadline. */
  timeoutMs?: number;
  /** Upper bound on the completion length (default: DEFAULT_LLM_SETTINGS.maxTokens; every model gets a cap). */
  maxTokens?: number;
  /** Stream replies token by token (the chat REPL); off by default, so a fix request is the same under every caller. */
  streaming?: boolean;
}

/** Local servers ignore the key, but the OpenAI client refuses to start without one. */
const PLACEHOLDER_API_KEY = "not-needed";

/**
 * Builds the model: ChatOpenAI for OpenAI and every OpenAI-compatible server (Ollama, vLLM, llama.cpp), other
 * providers through langchain's initChatModel (their @langchain/<provider> package must be installed).
 * Client-side retries are off: generateFixWithLlm retries with its own short, bounded backoff and records each try.
 * Streaming is off unless asked for: LangGraph's "messages" stream mode (the dev server's, for Studio) would otherwise make
 * every call stream (`stream: true`), so the same workflow would send a different request than the CLI does.
 */
export async function createChatModel(config: ModelConfig, options: CreateChatModelOptions = {}): Promise<BaseChatModel> {
  const maxTokens = options.maxTokens ?? DEFAULT_LLM_SETTINGS.maxTokens;
  if (config.provider === "openai") {
    // Loaded on first use: the OpenAI client and its tokenizer cost a run without a model (--no-llm) start-up time and memory.
    const { ChatOpenAI } = await import("@langchain/openai");
    return new ChatOpenAI({
      model: config.model,
      temperature: 0,
      apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
      configuration: config.baseUrl !== undefined ? { baseURL: config.baseUrl } : {},
      maxRetries: 0,
      disableStreaming: options.streaming !== true,
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      maxTokens,
    });
  }
  // Loaded lazily: the universal loader pulls in every provider's import map, which the common path never needs.
  const { initChatModel } = await import("langchain/chat_models/universal");
  try {
    return await initChatModel(config.model, {
      modelProvider: config.provider,
      temperature: 0,
      maxRetries: 0,
      disableStreaming: options.streaming !== true,
      ...(config.apiKey !== undefined ? { apiKey: config.apiKey } : {}),
      ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl, configuration: { baseURL: config.baseUrl } } : {}),
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      maxTokens,
    });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new RedgreenError(
      "config",
      `cannot create the ${config.provider} model "${config.model}": ${detail} ` +
        `(for an OpenAI-compatible server, pass the plain model name with --base-url instead)`,
      { cause: e },
    );
  }
}

/**
 * A chat model ready to call, with the name recorded in llm_calls and the completion cap it was built with (the budget
 * check reserves it; absent for a model built elsewhere, then LlmSettings.maxTokens is reserved), or why the step is off.
 */
export type LlmModel =
  | {
      kind: "ready";
      chat: BaseChatModel;
      /**
       * The same model streaming its replies, for a conversation shown as it is written (the chat REPL); absent for a model built
       * elsewhere.
       */
      streamingChat?: BaseChatModel;
      name: string;
      maxTokens?: number;
      /** The base URL the model is called at, when known: a dead endpoint's error names it. */
      endpoint?: string;
    }
  | { kind: "skipped"; reason: string };

/** The endpoint ChatOpenAI calls when no base URL is given. */
const OPENAI_DEFAULT_ENDPOINT = "https://api.openai.com/v1";

/** A base URL fit for messages: user and password (http://user:key@host/v1) are dropped. */
const withoutCredentials = (url: string | undefined): string | undefined => {
  if (url === undefined) return undefined;
  const u = new URL(url);
  if (u.username === "" && u.password === "") return url;
  u.username = "";
  u.password = "";
  return u.toString();
};

/** The model id a chat model sends (ChatOpenAI and most providers keep it in `model`); the class name otherwise. */
export const chatModelId = (chat: BaseChatModel): string => {
  const id = (chat as { model?: unknown }).model;
  return typeof id === "string" && id !== "" ? id : chat.getName();
};

/** Resolves the configuration and builds the model; no configured model is a "skipped" value, not an error. */
export async function loadLlmModel(input: ResolveModelConfigInput, options: CreateChatModelOptions = {}): Promise<LlmModel> {
  const resolution = resolveModelConfig(input);
  if (resolution.kind === "skipped") return resolution;
  const maxTokens = options.maxTokens ?? DEFAULT_LLM_SETTINGS.maxTokens;
  const { config } = resolution;
  const endpoint = withoutCredentials(config.baseUrl) ?? (config.provider === "openai" ? OPENAI_DEFAULT_ENDPOINT : undefined);
  return {
    kind: "ready",
    chat: await createChatModel(config, { ...options, maxTokens }),
    streamingChat: await createChatModel(config, { ...options, maxTokens, streaming: true }),
    name: describeModel(config),
    maxTokens,
    endpoint,
  };
}
