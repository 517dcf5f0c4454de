// Model configuration: which chat model the LLM fix step talks to, from flags first and the environment second.
import { RedgreenError } from "../../domain/errors.js";

/** Where a resolved model talks to: ChatOpenAI (OpenAI or any OpenAI-compatible server) or another langchain provider. */
export interface ModelConfig {
  /** "openai" for ChatOpenAI; any other value goes through langchain's initChatModel. */
  provider: string;
  /** The model name the server knows (without the provider prefix). */
  model: string;
  /** OpenAI-compatible base URL (http://localhost:11434/v1 for Ollama); undefined means the provider default. */
  baseUrl: string | undefined;
  /** undefined when none was given; local servers accept any value, so ChatOpenAI then gets a placeholder. */
  apiKey: string | undefined;
}

/** The LLM step has a model, or is switched off with the reason the user sees. */
export type ModelConfigResolution = { kind: "configured"; config: ModelConfig } | { kind: "skipped"; reason: string };

export interface ResolveModelConfigInput {
  /** --model */
  model?: string | undefined;
  /** --base-url */
  baseUrl?: string | undefined;
  /** --api-key */
  apiKey?: string | undefined;
  env: Record<string, string | undefined>;
}

/** The reason shown when no model is configured: the LLM step is skipped, the pattern fixes still run. */
export const NO_MODEL_REASON = "no model configured: set REDGREEN_MODEL (and OPENAI_BASE_URL/OPENAI_API_KEY) or pass --model";

/**
 * Providers langchain's initChatModel knows. Only a prefix from this list is read as a provider, because
 * Ollama model names contain colons too ("qwen2.5-coder:7b" is a model, not provider "qwen2.5-coder").
 */
export const KNOWN_PROVIDERS: readonly string[] = [
  "openai",
  "anthropic",
  "azure_openai",
  "cohere",
  "google",
  "google-vertexai",
  "google-vertexai-web",
  "google-genai",
  "ollama",
  "mistralai",
  "mistral",
  "groq",
  "bedrock",
  "aws",
  "deepseek",
  "xai",
  "cerebras",
  "fireworks",
  "together",
  "perplexity",
];

const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== "" ? v.trim() : undefined);

/** Splits "provider:model" when the prefix is a known provider; everything else is an OpenAI-compatible model name. */
export function splitProvider(spec: string): { provider: string; model: string } {
  const colon = spec.indexOf(":");
  if (colon > 0) {
    const prefix = spec.slice(0, colon).toLowerCase();
    if (KNOWN_PROVIDERS.includes(prefix)) return { provider: prefix, model: spec.slice(colon + 1) };
  }
  return { provider: "openai", model: spec };
}

/** Resolves --model/--base-url/--api-key, then REDGREEN_MODEL/OPENAI_BASE_URL/OPENAI_API_KEY; no model is a "skipped" value. */
export function resolveModelConfig(input: ResolveModelConfigInput): ModelConfigResolution {
  const spec = nonEmpty(input.model) ?? nonEmpty(input.env.REDGREEN_MODEL);
  if (spec === undefined) return { kind: "skipped", reason: NO_MODEL_REASON };
  const { provider, model } = splitProvider(spec);
  if (model === "") throw new RedgreenError("config", `the model "${spec}" names a provider but no model`);
  const baseUrl = nonEmpty(input.baseUrl) ?? nonEmpty(input.env.OPENAI_BASE_URL);
  if (baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch (e) {
      throw new RedgreenError("config", `the base URL "${baseUrl}" is not a URL`, { cause: e });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new RedgreenError("config", `the base URL "${baseUrl}" must start with http:// or https://`);
    }
  }
  const apiKey = nonEmpty(input.apiKey) ?? nonEmpty(input.env.OPENAI_API_KEY);
  return { kind: "configured", config: { provider, model, baseUrl, apiKey } };
}

/** A one-line description of a model for logs and the llm_calls table; never includes the key. */
export const describeModel = (c: ModelConfig): string =>
  `${c.provider === "openai" ? "" : `${c.provider}:`}${c.model}${c.baseUrl !== undefined ? ` @ ${c.baseUrl}` : ""}`;
