// `redgreen run --json` with a dead model (rejected key, unknown model, closed port): status "error" naming the cause,
// exit code 2, and no model call after the first.
import { afterEach, describe, expect, it } from "vitest";
import { RunSummarySchema } from "../../src/domain/index.js";
import { freePort } from "../helpers/free-port.js";
import { startOpenAiServer, type OpenAiTestServer } from "../helpers/openai-server.js";
import { testPython } from "../helpers/python-env.js";
import { copyFixture, runCli } from "./run-cli.js";

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("redgreen run with a dead model", () => {
  it.each([
    ["401", "model rejected the API key (401)"],
    ["404", "unknown model 'gone-model' (404)"],
    ["closed", "model unreachable at URL: connection refused"],
  ] as const)(
    "%s: ends at once with status error and exit code 2",
    async (kind, reason) => {
      let baseUrl: string;
      if (kind === "closed") {
        baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
      } else {
        server = await startOpenAiServer({
          fallback: { type: "error", status: Number(kind), message: kind === "401" ? "bad key" : "model not found" },
        });
        baseUrl = server.url;
      }
      const root = copyFixture("red");
      const r = await runCli([
        "run",
        root,
        "--python",
        testPython,
        "--model",
        "gone-model",
        "--base-url",
        baseUrl,
        "--api-key",
        "sk-dead",
        "--no-coverage",
        "--json",
        "-q",
      ]);
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(2);
      const summary = RunSummarySchema.parse(JSON.parse(r.stdout));
      expect(summary).toMatchObject({ status: "error", reason: reason.replace("URL", baseUrl), iterations: 1 });
      expect(summary.remainingFailures.length).toBeGreaterThan(0);
      if (server !== undefined) expect(server.requests).toHaveLength(1);
    },
    120_000,
  );
});
