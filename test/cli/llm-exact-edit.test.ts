// `redgreen run` with a model (the real @langchain/openai client against a loopback server) whose correct answer's
// `find` text starts and ends with a blank line: an exact match is applied verbatim, never re-indented, and the run
// goes green.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RunSummarySchema } from "../../src/domain/index.js";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { startOpenAiServer, type OpenAiTestServer } from "../helpers/openai-server.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "redgreen-cli-exact-edit-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let server: OpenAiTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe("a model's exact edit that starts and ends with a blank line", () => {
  it("is applied verbatim: shipping.py ends up byte for byte the reference fix, the suite green, no test touched", async () => {
    const root = join(tmp, "blank-lines");
    cpSync(fixturePath("llm", "blank-lines"), root, { recursive: true });
    const original = readFileSync(join(root, "shipping.py"), "utf8");
    const testsBefore = readFileSync(join(root, "tests", "test_shipping.py"), "utf8");
    // The find text begins with the blank line under the docstring and ends with the blank line after the branch: it
    // occurs once, so it must be replaced as given. Re-indenting it to its first (blank) line would move the `if` out
    // of the function: 'return' outside function.
    const find = '\n    if subtotal > FREE_FROM:\n        return Decimal("0.00")\n\n';
    const replace = '\n    if subtotal >= FREE_FROM:\n        return Decimal("0.00")\n\n';
    expect(original.split(find)).toHaveLength(2);
    server = await startOpenAiServer();
    server.respondWithToolCall(FIX_TOOL_NAME, {
      edits: [{ file: "shipping.py", find, replace }],
      explanation: "Orders of exactly FREE_FROM ship free: compare with >=.",
      confidence: 0.9,
    });
    const env = { REDGREEN_MODEL: "test-model", OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test" };
    const run = await runCli(["run", root, "--python", testPython, "--json"], { env });
    expectNoStackTrace(run.stderr);
    const summary = RunSummarySchema.parse(JSON.parse(run.stdout));
    expect(summary.status, run.stderr).toBe("passed");
    expect(summary.fixes.find((f) => f.file === "shipping.py")).toMatchObject({ status: "kept", source: "llm" });
    expect(readFileSync(join(root, "shipping.py"), "utf8")).toBe(original.replace(find, replace));
    expect(readFileSync(join(root, "tests", "test_shipping.py"), "utf8")).toBe(testsBefore);
    expect(server.requests).toHaveLength(1);
  }, 180_000);
});
