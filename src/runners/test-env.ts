// The test process's environment: the user's own, without redgreen's model credentials unless passed on purpose (--pass-env).
import { oneOf } from "../one-of.js";

/** redgreen's model settings and the provider keys langchain's chat models read: the code under test has no use for them. */
const MODEL_CREDENTIAL = oneOf(
  [
    /OPENAI_\w+|AZURE_OPENAI_\w+|ANTHROPIC_\w+/,
    /REDGREEN_MODEL|REDGREEN_\w*(?:KEY|TOKEN)/,
    /(?:COHERE|GOOGLE|GEMINI|MISTRAL|GROQ|DEEPSEEK|XAI|CEREBRAS)_API_KEY/,
    /(?:FIREWORKS|TOGETHER|TOGETHER_AI|PERPLEXITY|PPLX|OPENROUTER|LANGCHAIN|LANGSMITH)_API_KEY/,
  ],
  { before: "^", after: "$", flags: "i" },
);

/** Whether a variable is one of redgreen's model credentials or settings. */
export const isModelCredential = (name: string): boolean => MODEL_CREDENTIAL.test(name);

/** A valid --pass-env NAME: an environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment a test runner starts with: `env` without model credentials, except the names in `passEnv`. */
export function testProcessEnv(
  env: Record<string, string | undefined>,
  passEnv: readonly string[] = [],
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (!isModelCredential(name) || passEnv.includes(name)) out[name] = value;
  return out;
}

/** The environment a JS runner's runs start with (before a run's own variables): plain output, no colours, CI mode. */
export function jsRunnerEnv(base: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...base, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
}
