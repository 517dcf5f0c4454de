// analyze_failure's suspicious lines through the real MCP SDK client, against the built `redgreen mcp` on the seeded-bug fixture.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SuspiciousLineSchema } from "../../src/domain/index.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { binPath } from "../cli/run-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "redgreen-mcp-faults-"));
const root = join(tmp, "seeded");
let client: Client;

const textOf = (r: CallToolResult): string => (r.content[0]?.type === "text" ? r.content[0].text : "");

async function call(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(r.isError, textOf(r)).toBeUndefined();
  return r.structuredContent as Record<string, unknown>;
}

beforeAll(async () => {
  cpSync(fixturePath("faults", "seeded"), root, { recursive: true });
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(REDGREEN_|OPENAI_)/.test(e[0])),
  );
  const args = [binPath, "mcp", root, "--python", testPython];
  const transport = new StdioClientTransport({ command: process.execPath, args, env, stderr: "pipe" });
  client = new Client({ name: "redgreen-fault-test", version: "1.0.0" });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("analyze_failure over MCP: suspicious lines", () => {
  it("has none before a full run measured per-test coverage, then ranks the seeded bug's function first", async () => {
    const nodeId = "tests/test_pricing.py::test_ten_percent_off";
    const plain = await call("run_tests", {});
    expect(plain).toMatchObject({ status: "failed", failed: 14 });
    const before = await call("analyze_failure", { nodeId });
    expect(before).toMatchObject({ nodeId, errorCategory: "assertion" });
    expect(before).not.toHaveProperty("suspiciousLines");

    const measured = await call("run_tests", { coverage: true });
    expect(measured).toMatchObject({ status: "failed", failed: 14 });
    const after = await call("analyze_failure", { nodeId, runId: measured.runId });
    const lines = SuspiciousLineSchema.array().parse(after.suspiciousLines);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    // apply_discount's two lines: run by both failing pricing tests and one passing one (14 failures in the run).
    const score = Math.round((2 / Math.sqrt(14 * 3)) * 10_000) / 10_000;
    expect(lines.slice(0, 2)).toEqual([
      { file: "calc/pricing.py", line: 11, score, text: "discount = amount * percent / 100" },
      { file: "calc/pricing.py", line: 12, score, text: "return round(amount + discount, 2)" },
    ]);
    expect(lines.every((l) => !l.file.startsWith("tests/"))).toBe(true);
    // The analysis a client gets is the one analyze_failure documents: same fields on the served text.
    const served = (await client.callTool({ name: "analyze_failure", arguments: { nodeId, runId: measured.runId } })) as CallToolResult;
    expect(JSON.parse(textOf(served))).toEqual(served.structuredContent);
  }, 120_000);
});
