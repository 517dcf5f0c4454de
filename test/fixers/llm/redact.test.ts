// Secret redaction for prompts and logs: environment values, URL passwords and the shared secret catalog.
import { describe, expect, it } from "vitest";
import { createSecretRedactor, secretEnvValues } from "../../../src/fixers/llm/redact.js";

describe("secretEnvValues", () => {
  it("takes values of secret-looking names, skipping trivial values and PWD", () => {
    const env = {
      OPENAI_API_KEY: "sk-abcdefghijklmnopqrstuvwx",
      GITHUB_TOKEN: "ghp_shortish_value_1",
      DB_PASSWORD: "hunter22",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
      USE_AUTH: "true",
      API_KEY_RETRIES: "3",
      PWD: "/home/dev/project",
      HOME: "/home/dev",
      EDITOR: "vim",
    };
    expect(
      secretEnvValues(env)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "OPENAI_API_KEY"]);
  });
});

describe("createSecretRedactor", () => {
  const env = { SHOP_PAYMENT_KEY: "pk_live_4eC39HqLyjWDarjtT1zdp7dc", DB_PASSWORD: "hunter22" };

  it("replaces environment secrets, URL passwords and catalog matches with stable placeholders", () => {
    const r = createSecretRedactor({ env });
    const text = [
      'KEY = "pk_live_4eC39HqLyjWDarjtT1zdp7dc"',
      "url = 'postgresql://app:s3cr3t-pw@db.internal:5432/shop'",
      "password hunter22 again hunter22",
      'AWS = "AKIAZ7Q4N2LX5KJ8W3PD"',
    ].join("\n");
    const out = r.redact(text);
    expect(out).toBe(
      [
        'KEY = "[REDACTED:SHOP_PAYMENT_KEY]"',
        "url = 'postgresql://app:[REDACTED:URL_PASSWORD]@db.internal:5432/shop'",
        "password [REDACTED:DB_PASSWORD] again [REDACTED:DB_PASSWORD]",
        'AWS = "[REDACTED:aws_access_key_id]"',
      ].join("\n"),
    );
    expect(r.redact(out)).toBe(out);
    expect(r.restore(out)).toBe(text);
  });

  it("leaves placeholders it did not issue alone, and text without secrets unchanged", () => {
    const r = createSecretRedactor({ env: {} });
    expect(r.restore("x = '[REDACTED:SOMETHING]'")).toBe("x = '[REDACTED:SOMETHING]'");
    const plain = "def add(a, b):\n    return a + b\n";
    expect(r.redact(plain)).toBe(plain);
  });

  it("accepts another finder", () => {
    const r = createSecretRedactor({
      env: {},
      findSecrets: (t) => [...t.matchAll(/tok-\d+/g)].map((m) => ({ name: "custom", value: m[0] })),
    });
    expect(r.redact("a tok-123 b tok-456")).toBe("a [REDACTED:custom] b [REDACTED:custom#2]");
  });
});

describe("createSecretRedactor on escaped and truncated values", () => {
  const KEY = "sk-proj-EnVkQ7rT2mX9pL4sW8vB1ST4UV7WX0YZ3";
  const PASSWORD = "Pa\\ssw0rd-Qx7!zK";
  const r = createSecretRedactor({ env: { SHOP_API_KEY: KEY, SHOP_DB_PASSWORD: PASSWORD }, apiKey: "own-model-key-Zq81Vd" });

  it("redacts the pieces pytest's assertion repr leaves around '...'", () => {
    expect(r.redact("assert 'sk-proj-EnVk...1ST4UV7WX0YZ3' == 'Bearer sk-pr...1ST4UV7WX0YZ3'")).toBe(
      "assert '[REDACTED:SHOP_API_KEY]...[REDACTED:SHOP_API_KEY]' == 'Bearer sk-pr...[REDACTED:SHOP_API_KEY]'",
    );
    expect(r.redact("AssertionError: assert {'password': ...sw0rd-Qx7!zK'} == {}")).toBe(
      "AssertionError: assert {'password': ...[REDACTED:SHOP_DB_PASSWORD]'} == {}",
    );
  });

  it("redacts the value repr-escaped, JSON-escaped and URL-encoded, restoring the value itself", () => {
    const text = [
      "{'password': 'Pa\\\\ssw0rd-Qx7!zK'} != {'user': 'admin'}",
      '{"password": "Pa\\\\ssw0rd-Qx7!zK"}',
      "GET /login?pw=Pa%5Cssw0rd-Qx7!zK",
    ].join("\n");
    const out = r.redact(text);
    expect(out).toBe(
      [
        "{'password': '[REDACTED:SHOP_DB_PASSWORD]'} != {'user': 'admin'}",
        '{"password": "[REDACTED:SHOP_DB_PASSWORD]"}',
        "GET /login?pw=[REDACTED:SHOP_DB_PASSWORD]",
      ].join("\n"),
    );
    expect(r.restore("[REDACTED:SHOP_DB_PASSWORD]")).toBe(PASSWORD);
  });

  it("redacts redgreen's own API key", () => {
    expect(r.redact("Authorization: Bearer own-model-key-Zq81Vd")).toBe("Authorization: Bearer [REDACTED:API_KEY]");
  });

  it("redacts every string of a JSON-like value, keys and class instances included", () => {
    const value = {
      status: "failed",
      passed: 3,
      coverage: null,
      ok: true,
      failures: [{ errorMessage: `assert '${KEY}' == ''` }],
      [KEY]: 1,
    };
    expect(r.redactValue(value)).toEqual({
      status: "failed",
      passed: 3,
      coverage: null,
      ok: true,
      failures: [{ errorMessage: "assert '[REDACTED:SHOP_API_KEY]' == ''" }],
      "[REDACTED:SHOP_API_KEY]": 1,
    });
    const err = Object.assign(new Error("x"), { detail: `key ${KEY}` });
    expect(r.redactValue({ error: err })).toEqual({ error: { detail: "key [REDACTED:SHOP_API_KEY]" } });
  });
});

describe("SecretRedactor.restoreEdit", () => {
  const env = { PGPASSWORD: "blue-falcon-42" };

  it("refuses an edit that writes a redacted environment secret where the replaced text did not hold it", () => {
    const r = createSecretRedactor({ env });
    expect(r.redact('DSN = "postgresql://app:blue-falcon-42@db/shop"')).toContain("[REDACTED:PGPASSWORD]");
    const result = r.restoreEdit("FALLBACK = None", 'FALLBACK = "[REDACTED:PGPASSWORD]"');
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/writes redacted secret \[REDACTED:PGPASSWORD\] into the code/) });
    expect(JSON.stringify(result)).not.toContain("blue-falcon-42");
  });

  it("restores placeholders in replace that also appear in that edit's find", () => {
    const r = createSecretRedactor({ env });
    const find = r.redact('conn = connect(password="blue-falcon-42")');
    const replace = r.redact('conn = connect(password="blue-falcon-42", timeout=5)');
    expect(r.restoreEdit(find, replace)).toEqual({
      ok: true,
      find: 'conn = connect(password="blue-falcon-42")',
      replace: 'conn = connect(password="blue-falcon-42", timeout=5)',
    });
    expect(r.restoreEdit("x = 1", "x = '[REDACTED:NOT_ISSUED]'")).toEqual({
      ok: true,
      find: "x = 1",
      replace: "x = '[REDACTED:NOT_ISSUED]'",
    });
  });
});
