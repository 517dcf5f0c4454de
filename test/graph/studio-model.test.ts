// The fixer's wire request is the same whether the workflow runs under the Studio graph (graph/studio.ts, streamed
// the way the LangGraph dev server streams to Studio) or through `redgreen run`: no `stream: true` in either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer, type OpenAiTestServer, type RecordedRequest } from "../helpers/openai-server.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { runCli } from "../cli/run-cli.js";

let server: OpenAiTestServer;
const saved = { ...process.env };
beforeAll(async () => {
  server = await startOpenAiServer({ fallback: { type: "text", content: "I do not know." } });
});
afterAll(async () => {
  process.env = saved;
  await server.close();
});

/** The request without its prompt (the project's temp path differs between the two runs). */
const settingsOf = (r: RecordedRequest): Record<string, unknown> => {
  const { messages: _messages, ...rest } = r.body as Record<string, unknown>;
  return rest;
};

describe("the fixer's request to the model", () => {
  it("has no stream: true under the Studio graph streamed with messages, and equals the CLI's", async () => {
    const studioCopy = copyProject(fixturePath("cli", "red"));
    const cliCopy = copyProject(fixturePath("cli", "red"));
    try {
      // graph/studio.ts reads its configuration from the environment the dev server gives it (langgraph.json "env").
      Object.assign(process.env, { REDGREEN_MODEL: "local-coder", OPENAI_BASE_URL: server.url, REDGREEN_PYTHON: testPython });
      delete process.env.REDGREEN_DB;
      delete process.env.OPENAI_API_KEY;
      const { graph } = await import("../../graph/studio.js");
      // The dev server streams runs for Studio with "messages" among the modes: LangGraph then attaches a handler
      // that asks every chat model called inside the run to stream its tokens.
      const modes = new Set<string>();
      const stream = await graph.stream(
        { projectRoot: studioCopy.root, maxIterations: 1 },
        { streamMode: ["values", "messages", "custom"] },
      );
      for await (const [mode] of stream) modes.add(mode);
      expect(modes.has("values")).toBe(true);
      const studio = server.requests.splice(0);
      expect(studio.length).toBeGreaterThan(0);

      const r = await runCli([
        "run",
        cliCopy.root,
        "--python",
        testPython,
        "--model",
        "local-coder",
        "--base-url",
        server.url,
        "--max-iterations",
        "1",
        "--json",
        "-q",
      ]);
      expect(r.exitCode, r.stderr).toBe(1);
      const cli = server.requests.splice(0);
      expect(cli.length).toBe(studio.length);

      for (const req of [...studio, ...cli]) expect(req.body.stream).not.toBe(true);
      expect(studio.map(settingsOf)).toEqual(cli.map(settingsOf));
    } finally {
      studioCopy.cleanup();
      cliCopy.cleanup();
    }
  }, 180_000);
});
