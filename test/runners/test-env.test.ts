// The test process's environment: redgreen's model credentials are withheld unless passed by name.
import { describe, expect, it } from "vitest";
import { isModelCredential, testProcessEnv } from "../../src/runners/test-env.js";

describe("testProcessEnv", () => {
  const env = {
    PATH: "/usr/bin",
    OPENAI_API_KEY: "sk-1",
    OPENAI_BASE_URL: "http://127.0.0.1:1/v1",
    ANTHROPIC_API_KEY: "sk-ant",
    GROQ_API_KEY: "gsk",
    REDGREEN_MODEL: "m",
    REDGREEN_TEST_PID_FILE: "/tmp/pid",
    DATABASE_URL: "postgres://app@db/shop",
    STRIPE_API_KEY: "sk_test_1",
  };

  it("drops redgreen's model settings and the providers' keys, keeping the project's own variables", () => {
    expect(testProcessEnv(env)).toEqual({
      PATH: "/usr/bin",
      REDGREEN_TEST_PID_FILE: "/tmp/pid",
      DATABASE_URL: "postgres://app@db/shop",
      STRIPE_API_KEY: "sk_test_1",
    });
  });

  it("passes the names given with --pass-env", () => {
    const out = testProcessEnv(env, ["OPENAI_API_KEY", "NOT_SET"]);
    expect(out.OPENAI_API_KEY).toBe("sk-1");
    expect(out).not.toHaveProperty("ANTHROPIC_API_KEY");
    expect(out).not.toHaveProperty("NOT_SET");
  });

  it("knows the credentials by name, not by value", () => {
    for (const name of [
      "OPENAI_ORGANIZATION",
      "AZURE_OPENAI_API_KEY",
      "GOOGLE_API_KEY",
      "MISTRAL_API_KEY",
      "LANGSMITH_API_KEY",
      "REDGREEN_API_KEY",
    ]) {
      expect(isModelCredential(name), name).toBe(true);
    }
    for (const name of ["HOME", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "MY_OPENAI_API_KEY_FOR_TESTS", "REDGREEN_DB"]) {
      expect(isModelCredential(name), name).toBe(false);
    }
  });
});
