// oneOf: a regex alternation written as a list of literals matches exactly what the one long literal matched.
import { describe, expect, it } from "vitest";
import { isRedgreenError } from "../../src/domain/errors.js";
import { oneOf } from "../../src/one-of.js";
import { isModelCredential } from "../../src/runners/test-env.js";

describe("oneOf", () => {
  it("groups the alternatives, so `before` and `after` apply to each of them", () => {
    const re = oneOf([/fetch/, /http|https/], { before: "^", after: String.raw`(?:\.|$)` });
    expect(re.source).toBe(String.raw`^(?:fetch|http|https)(?:\.|$)`);
    expect(["fetch", "http.get", "https"].filter((s) => re.test(s))).toEqual(["fetch", "http.get", "https"]);
    // Without the group, `^` would bind to the first alternative and `(?:\.|$)` to the last only.
    expect(["xfetch", "httpx", "refetch.get"].some((s) => re.test(s))).toBe(false);
  });

  it("takes its flags once, and refuses an alternative carrying its own", () => {
    expect(oneOf([/abc/, /def/], { flags: "i" }).test("DEF")).toBe(true);
    expect(oneOf([/abc/, /def/]).test("DEF")).toBe(false);
    let caught: unknown;
    try {
      oneOf([/abc/, /def/i]);
    } catch (e) {
      caught = e;
    }
    expect(isRedgreenError(caught) && caught.code === "internal" && caught.message.includes("/def/i")).toBe(true);
  });

  it("keeps the split credential rule whole: every provider key either side of the split, and nothing around them", () => {
    for (const name of [
      "OPENAI_API_KEY",
      "cohere_api_key",
      "CEREBRAS_API_KEY",
      "FIREWORKS_API_KEY",
      "LANGSMITH_API_KEY",
      "REDGREEN_MODEL",
    ]) {
      expect(isModelCredential(name), name).toBe(true);
    }
    for (const name of ["MY_OPENAI", "COHERE_API_KEY_FILE", "DATABASE_URL", "XAI_KEY"]) expect(isModelCredential(name), name).toBe(false);
  });
});
