import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { pythonSourcePath } from "../../src/paths.js";
import { loadSecretCatalog } from "../../src/validation/secret-catalog.js";
import { findSecrets, redactSecrets, scanSecrets, shannonEntropy } from "../../src/validation/secrets.js";
import { fixturePath } from "../helpers/python-env.js";

// Fake credentials are assembled at run time so this file itself holds none.
const rep = (chars: string, n: number): string => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);
const fake = {
  awsKeyId: "AKIA" + "Z7Q3" + "X9M2" + "K4P8" + "W1N6",
  awsSecret: "q8Xz3LmN7pR2vT9k" + "W4yB6hJ1sD5fG0aE" + "c2Vb4Nm8",
  ghp: "ghp_" + rep("a1B2c3D4e5F6g7H8i9J0", 36),
  gho: "gho_" + rep("Zy9Xw8Vu7Ts6Rq5Po4Nm", 36),
  githubPat: "github_pat_" + rep("11ABCDEFG0", 22) + "_" + rep("xY7zQ2wE9rT4", 59),
  slack: "xoxb-" + "2048-1234567890-" + rep("AbCdEfGh12", 24),
  stripe: "sk_live_" + rep("4eC39HqLyjWDarjtT1zdp7dc", 24),
  google: "AIza" + rep("SyA1b2C3d4E5f6G7h8I9j0K-_", 35),
  openai: "sk-proj-" + rep("T3BlbkFJq9W8e7R6t5Y4u3I2o1P", 48),
  jwt: "eyJhbGciOiJIUzI1NiJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  privateKey: [
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEA7q9Xz3LmN7pR2vT9kW4yB6hJ1sD5fG0aEc2Vb4Nm8",
    "bPxRfiCY0a9s8d7f6g5h4j3k2l1",
    "-----END RSA PRIVATE KEY-----",
  ].join("\n"),
  random: "Jq7Lr2Wz9Tk4Xv8Pn3Hb6Ds1",
};

describe("secret catalog", () => {
  it("loads and validates data/secret-patterns.json", () => {
    const catalog = loadSecretCatalog();
    const names = catalog.patterns.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "aws_access_key_id",
        "aws_secret_access_key",
        "github_token",
        "github_fine_grained_pat",
        "slack_token",
        "stripe_key",
        "google_api_key",
        "openai_api_key",
        "private_key_block",
        "jwt",
        "password_assignment",
        "connection_string_password",
      ]),
    );
  });

  it("rejects a catalog with a pattern that does not compile", () => {
    const dir = mkdtempSync(join(tmpdir(), "redgreen-secrets-"));
    try {
      const raw = JSON.parse(readFileSync(join(pythonSourcePath(), "..", "data", "secret-patterns.json"), "utf8"));
      raw.patterns[0].pattern = "([unclosed";
      writeFileSync(join(dir, "bad.json"), JSON.stringify(raw));
      expect(() => loadSecretCatalog(join(dir, "bad.json"))).toThrow(RedgreenError);
      expect(() => loadSecretCatalog(join(dir, "bad.json"))).toThrow(/pattern does not compile/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("findSecrets", () => {
  const cases: Array<[string, string, string]> = [
    ["an AWS access key id", `AWS_ACCESS_KEY_ID = "${fake.awsKeyId}"`, "aws_access_key_id"],
    ["an AWS secret access key", `aws_secret_access_key = "${fake.awsSecret}"`, "aws_secret_access_key"],
    ["a GitHub personal token", `token = "${fake.ghp}"`, "github_token"],
    ["a GitHub OAuth token", `headers = {"Authorization": "token ${fake.gho}"}`, "github_token"],
    ["a GitHub fine-grained token", `GH = "${fake.githubPat}"`, "github_fine_grained_pat"],
    ["a Slack token", `slack = "${fake.slack}"`, "slack_token"],
    ["a Stripe key", `stripe.api_key = "${fake.stripe}"`, "stripe_key"],
    ["a Google API key", `maps_key = "${fake.google}"`, "google_api_key"],
    ["an OpenAI key", `client = OpenAI(api_key="${fake.openai}")`, "openai_api_key"],
    ["a JWT", `auth = "${fake.jwt}"`, "jwt"],
    ["a private key block", fake.privateKey, "private_key_block"],
    ["a password assignment", `DB_PASSWORD = "hunter2-is-bad"`, "password_assignment"],
    ["a password keyword argument", `connect(host="db", password='S3cure!pass')`, "password_assignment"],
    ["an annotated secret", `client_secret: str = "abc123def456"`, "password_assignment"],
    ["a connection string with a password", `URL = "postgresql://app:s3cr3tPass@db.internal:5432/app"`, "connection_string_password"],
    ["an .env password", `SMTP_PASSWORD=Tr0ub4dor&3`, "password_config_value"],
    ["a high-entropy string", `blob = "${fake.random}"`, "high_entropy_string"],
  ];
  it.each(cases)("finds %s", (_label, text, name) => {
    const found = findSecrets(`x = 1\n${text}\n`);
    expect(found).toEqual([{ name, line: 2 }]);
  });

  it("never returns the secret value", () => {
    const text = Object.values(fake)
      .map((v, i) => `v${i} = "${v}"`)
      .join("\n");
    const found = findSecrets(text);
    expect(found.length).toBeGreaterThanOrEqual(Object.keys(fake).length - 1);
    const serialized = JSON.stringify(found);
    for (const value of Object.values(fake)) expect(serialized).not.toContain(value.slice(4, 16));
  });

  it("ignores placeholders, environment lookups and ordinary code", () => {
    const text = [
      'password = "changeme"',
      'password = os.environ["DB_PASSWORD"]',
      'api_key = "<your-api-key>"',
      'token = "${GITHUB_TOKEN}"',
      'DATABASE_URL = "postgresql://user:password@localhost/db"',
      'status = "FORCE_CHANGE_PASSWORD"',
      'digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
      'uid = "123e4567-e89b-12d3-a456-426614174000"',
      'name = "ArchiveSHA256TreeHash"',
      'ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"',
      "if password == user_password:",
    ].join("\n");
    expect(findSecrets(text)).toEqual([]);
  });

  it("finds nothing in the project's own Python sources or the validation fixtures", () => {
    const dirs = [pythonSourcePath("python"), fixturePath("validation", "project", "app"), fixturePath("validation", "project", "tests")];
    for (const dir of dirs) {
      for (const f of readdirSync(dir).filter((n) => n.endsWith(".py")))
        expect(findSecrets(readFileSync(join(dir, f), "utf8")), f).toEqual([]);
    }
  });
});

describe("redactSecrets", () => {
  it("replaces only the secret part and keeps the surrounding text", () => {
    const text = `DB_PASSWORD = "hunter2-is-bad"\nURL = "postgresql://app:s3cr3tPass@db:5432/app"\nkey = "${fake.awsKeyId}"\n`;
    const red = redactSecrets(text);
    expect(red).toBe(
      'DB_PASSWORD = "[REDACTED:password_assignment]"\nURL = ' +
        '"postgresql://app:[REDACTED:connection_string_password]@db:5432/app"\nkey = "[REDACTED:aws_access_key_id]"\n',
    );
    expect(redactSecrets(red)).toBe(red);
    expect(findSecrets(red)).toEqual([]);
  });

  it("redacts a whole private key block, even an unterminated one", () => {
    const red = redactSecrets(`before\n${fake.privateKey}\nafter\n`);
    expect(red).toBe("before\n[REDACTED:private_key_block]\nafter\n");
    const cut = fake.privateKey.split("\n").slice(0, 2).join("\n");
    expect(redactSecrets(`log: ${cut}`)).toBe("log: [REDACTED:private_key_block]");
  });

  it("lets earlier (specific) patterns win over generic ones", () => {
    const spans = scanSecrets(`api_key = "${fake.openai}"`);
    expect(spans.map((s) => s.name)).toEqual(["openai_api_key"]);
  });
});

describe("shannonEntropy", () => {
  it("measures bits per character", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abab")).toBeCloseTo(1);
    expect(shannonEntropy("abcdefgh")).toBeCloseTo(3);
  });
});
