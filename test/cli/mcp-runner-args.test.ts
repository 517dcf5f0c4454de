// runnerArgs over MCP (`redgreen mcp` as a child process, the SDK's own client): hostile args are refused before any run.
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPython } from "../helpers/python-env.js";
import { copyToolsFixture } from "../tools/helpers.js";
import { binPath } from "./run-cli.js";

let shop: string;
let client: Client;

const textOf = (r: CallToolResult): string => (r.content[0]?.type === "text" ? r.content[0].text : "");

beforeAll(async () => {
  shop = copyToolsFixture("shop");
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(REDGREEN_|OPENAI_)/.test(e[0])),
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, "mcp", shop, "--python", testPython],
    env,
    stderr: "pipe",
  });
  client = new Client({ name: "redgreen-args-test", version: "1.0.0" });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client.close();
  rmSync(dirname(shop), { recursive: true, force: true });
});

describe("runnerArgs over MCP", () => {
  it.each([
    [["-p", "evil"], /runner argument '-p' is refused: it loads or blocks plugins/],
    [["--rootdir=/"], /runner argument '--rootdir' is refused: it moves the runner's root/],
    [["../outside"], /refusing to run "\.\.\/outside": the path leaves the project root/],
    [["--ignore", "/"], /refusing to run "\/": the path leaves the project root/],
  ])("start_fix with runnerArgs %j is refused as a usage error, and no workflow starts", async (runnerArgs, message) => {
    const r = (await client.callTool({ name: "start_fix", arguments: { runnerArgs, noLlm: true } })) as CallToolResult;
    expect(r.isError).toBe(true);
    const error = JSON.parse(textOf(r)) as { error: string; code: string };
    expect(error.code).toBe("usage");
    expect(error.error).toMatch(message);
    const listed = (await client.callTool({ name: "list_workflows", arguments: {} })) as CallToolResult;
    expect(JSON.stringify(listed.structuredContent ?? textOf(listed))).not.toMatch(/"running"/);
  });

  it("run_tests and fix_failing_tests refuse them too; allowed ones select the tests", async () => {
    const refused = (await client.callTool({ name: "run_tests", arguments: { runnerArgs: ["--junitxml=/tmp/x.xml"] } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/'--junitxml' is refused/);
    const hostile = (await client.callTool({
      name: "fix_failing_tests",
      arguments: { runnerArgs: ["-c", "/etc/passwd"] },
    })) as CallToolResult;
    expect(hostile.isError).toBe(true);
    expect(textOf(hostile)).toMatch(/'-c' is refused: it swaps the config file/);
    const selected = (await client.callTool({
      name: "run_tests",
      arguments: { runnerArgs: ["-k", "total or average"] },
    })) as CallToolResult;
    expect(selected.isError).toBeUndefined();
    expect(selected.structuredContent).toMatchObject({ total: 2 });
  }, 120_000);
});
