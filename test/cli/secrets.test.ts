// Secrets through the real CLI: what tests print about secret env values is stored and sent redacted, and the test
// process gets none of redgreen's model credentials unless --pass-env names them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { startOpenAiServer, type OpenAiTestServer, type RecordedRequest } from "../helpers/openai-server.js";
import { testPython } from "../helpers/python-env.js";
import { copyFixture, expectOneErrorLine, runCli } from "./run-cli.js";

const KEY = "sk-proj-EnVkQ7rT2mX9pL4sW8vB1ST4UV7WX0YZ3";
const PASSWORD = "Pa\\ssw0rd-Qx7!zK";
const OWN_KEY = "sk-Vd83LqZ0pXw4Rt6Ym1Jh";

/** Every 8-character piece of the secrets as they are and as Python's repr escapes the password. */
const fragments = [
  ...new Set(
    [KEY, PASSWORD, PASSWORD.replace(/\\/g, "\\\\"), OWN_KEY].flatMap((s) => [...Array(s.length - 7).keys()].map((i) => s.slice(i, i + 8))),
  ),
];
const leaksIn = (text: string): string[] => fragments.filter((f) => text.includes(f));

/** Every text and blob value of every column of every table, as "table.column: text". */
function everyStoredText(dbPath: string): { tables: string[]; cells: string[] } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    const cells: string[] = [];
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        for (const [column, value] of Object.entries(row)) {
          const text = typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : null;
          if (text !== null) cells.push(`${table}.${column}: ${text}`);
        }
      }
    }
    return { tables, cells };
  } finally {
    db.close();
  }
}

const promptOf = (r: RecordedRequest): string => JSON.stringify(r.body?.messages ?? []);

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("secrets in test output", () => {
  it("never reach the database or the model: full, truncated by pytest, or repr-escaped", async () => {
    const root = copyFixture("leaky");
    server = await startOpenAiServer({
      fallback: {
        type: "dynamic",
        reply: (r) =>
          promptOf(r).includes("test_header_has_scheme")
            ? {
                type: "tool_calls",
                calls: [
                  {
                    name: FIX_TOOL_NAME,
                    args: {
                      edits: [
                        {
                          file: "app.py",
                          find: '    return os.environ["SHOP_API_KEY"]',
                          replace: '    return "Bearer " + os.environ["SHOP_API_KEY"]',
                        },
                      ],
                      explanation: "the header needs its scheme",
                      confidence: 0.9,
                    },
                  },
                ],
              }
            : { type: "text", content: "I cannot fix this one." },
      },
    });
    const args = ["run", root, "--python", testPython, "--model", "test-model", "--base-url", server.url, "--api-key", OWN_KEY];
    const r = await runCli([...args, "--max-iterations", "1", "--no-coverage", "--json", "-q"], {
      env: { SHOP_API_KEY: KEY, SHOP_DB_PASSWORD: PASSWORD },
    });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(1);
    // The header fix was proven and kept; the password test still fails.
    expect(readFileSync(join(root, "app.py"), "utf8")).toContain('return "Bearer " + os.environ["SHOP_API_KEY"]');
    expect(r.stdout).toContain("test_password_is_the_default");
    expect(leaksIn(r.stdout)).toEqual([]);

    const { tables, cells } = everyStoredText(join(root, ".redgreen", "redgreen.db"));
    expect(tables).toEqual(
      expect.arrayContaining(["test_runs", "failures", "workflows", "fix_attempts", "agent_logs", "llm_calls", "checkpoints", "writes"]),
    );
    const stored = cells.join("\n");
    // The secrets were in the output (as placeholders now), in failures and in the stored runs' JSON.
    expect(cells.some((c) => c.startsWith("failures.error_message:") && c.includes("[REDACTED:SHOP_API_KEY]"))).toBe(true);
    expect(cells.some((c) => c.startsWith("test_runs.result_json:") && c.includes("[REDACTED:SHOP_DB_PASSWORD]"))).toBe(true);
    expect(cells.filter((c) => leaksIn(c).length > 0).map((c) => `${c.slice(0, c.indexOf(":"))}: ${leaksIn(c).join(", ")}`)).toEqual([]);
    expect(stored).toContain("calling the API with [REDACTED:SHOP_API_KEY]");

    expect(server.allRequests.length).toBeGreaterThanOrEqual(2);
    const sent = server.allRequests.map((q) => q.rawBody).join("\n");
    expect(sent).toContain("[REDACTED:SHOP_API_KEY]");
    expect(sent).toContain("[REDACTED:SHOP_DB_PASSWORD]");
    expect(leaksIn(sent)).toEqual([]);
    expect(leaksIn(server.allRequests.map(promptOf).join("\n"))).toEqual([]);
  }, 120_000);
});

describe("the test process's environment", () => {
  const outer = {
    OPENAI_API_KEY: "sk-outer-openai-key-5Tq9",
    ANTHROPIC_API_KEY: "sk-ant-outer-key-77Wc",
    REDGREEN_MODEL: "test-model",
    SHOP_SETTING: "kept",
  };

  /** Runs `redgreen ...args` on a fresh env-dump project; returns the environment its test saw. */
  async function seenEnv(command: string[]): Promise<{ exitCode: number | null; env: Record<string, string> }> {
    const root = copyFixture("env-dump");
    const dump = join(root, "..", "env.json");
    const r = await runCli([command[0]!, root, "--python", testPython, "--no-coverage", "-q", ...command.slice(1)], {
      env: { ...outer, ENV_DUMP_FILE: dump },
    });
    expect(r.stderr).toBe("");
    return { exitCode: r.exitCode, env: JSON.parse(readFileSync(dump, "utf8")) as Record<string, string> };
  }

  it.each([["test"], ["run", "--no-llm"]])(
    "`redgreen %s` withholds OPENAI_API_KEY and the other model settings",
    async (...command) => {
      const { exitCode, env } = await seenEnv(command);
      expect(exitCode).toBe(0);
      expect(env).not.toHaveProperty("OPENAI_API_KEY");
      expect(env).not.toHaveProperty("ANTHROPIC_API_KEY");
      expect(env).not.toHaveProperty("REDGREEN_MODEL");
      expect(env.SHOP_SETTING).toBe("kept");
      expect(env.PATH).toBe(process.env.PATH);
    },
    60_000,
  );

  it.each([["test"], ["run", "--no-llm"]])(
    "`redgreen %s --pass-env OPENAI_API_KEY` passes that one on",
    async (...command) => {
      const { exitCode, env } = await seenEnv([...command, "--pass-env", "OPENAI_API_KEY"]);
      expect(exitCode).toBe(0);
      expect(env.OPENAI_API_KEY).toBe(outer.OPENAI_API_KEY);
      expect(env).not.toHaveProperty("ANTHROPIC_API_KEY");
    },
    60_000,
  );

  it("refuses a --pass-env value that is not a variable name", async () => {
    const r = await runCli(["test", copyFixture("env-dump"), "--pass-env", "A=B"]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(r.stderr, /--pass-env needs an environment variable name, got 'A=B'/);
  });
});
