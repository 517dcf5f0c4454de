// langgraph.json: `langgraphjs dev` (the @langchain/langgraph-cli dev server) serves graph/studio.ts on loopback, offline.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import type { ProcessResult } from "../../src/process/run.js";
import { freePort } from "../helpers/free-port.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(repo, "node_modules", "@langchain", "langgraph-cli", "dist", "cli", "cli.mjs");

let work: string;
let base: string;
let output = "";
let stop: AbortController;
let server: Promise<ProcessResult>;
let assistantId: string;

const api = async <T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> => {
  const res = await fetch(`${base}${path}`, {
    method: init?.method ?? "GET",
    ...(init?.body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) } : {}),
  });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}\n${output}`);
  return (await res.json()) as T;
};

beforeAll(async () => {
  // The repo's langgraph.json, moved to a temp dir with its graph paths made relative to it: the dev server writes
  // .langgraph_api/ and a .gitignore line next to its config, which must not land in the working tree.
  const config = JSON.parse(readFileSync(join(repo, "langgraph.json"), "utf8")) as { graphs: Record<string, string> };
  work = mkdtempSync(join(tmpdir(), "redgreen-studio-"));
  const graphs = Object.fromEntries(
    Object.entries(config.graphs).map(([id, spec]) => {
      const [file, symbol] = spec.split(":");
      return [id, `${relative(work, join(repo, file!))}:${symbol}`];
    }),
  );
  writeFileSync(join(work, "langgraph.json"), JSON.stringify({ ...config, graphs }));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stop = new AbortController();
  const collect = (c: Buffer): void => void (output += c.toString());
  server = runProcess(
    process.execPath,
    [cli, "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", String(port), "--config", join(work, "langgraph.json")],
    {
      cwd: work,
      env: {
        ...process.env,
        LANGGRAPH_CLI_NO_ANALYTICS: "1",
        LANGSMITH_TRACING: "false",
        BROWSER: "none",
        REDGREEN_PYTHON: testPython,
        REDGREEN_DB: undefined,
        REDGREEN_MODEL: undefined,
      },
      signal: stop.signal,
      timeoutMs: 180_000,
      onStdout: collect,
      onStderr: collect,
    },
  );
  const started = performance.now();
  let exited = false;
  void server.then(() => (exited = true));
  while (!output.includes("Server running at")) {
    if (exited || performance.now() - started > 60_000) throw new Error(`langgraphjs dev did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  console.info(`langgraphjs dev ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 90_000);

afterAll(async () => {
  stop.abort();
  await server;
  rmSync(work, { recursive: true, force: true });
});

describe("langgraphjs dev with langgraph.json", () => {
  it("lists the redgreen assistant and serves its graph and schemas", async () => {
    const assistants = await api<{ assistant_id: string; graph_id: string }[]>("/assistants/search", { method: "POST", body: {} });
    expect(assistants.map((a) => a.graph_id)).toEqual(["redgreen"]);
    assistantId = assistants[0]!.assistant_id;

    const graph = await api<{ nodes: { id: string }[]; edges: { source: string; target: string }[] }>(
      `/assistants/${assistantId}/graph?xray=true`,
    );
    expect(graph.nodes.map((n) => n.id)).toEqual(["__start__", "start", "workflow", "__end__"]);
    expect(graph.edges.map((e) => `${e.source}->${e.target}`)).toEqual(["__start__->start", "start->workflow", "workflow->__end__"]);

    const schemas = await api<{ input_schema: { properties: object }; output_schema: { properties: object } }>(
      `/assistants/${assistantId}/schemas`,
    );
    expect(Object.keys(schemas.input_schema.properties)).toEqual(["projectRoot", "maxIterations"]);
    expect(Object.keys(schemas.output_schema.properties)).toEqual(["redgreen", "messages"]);
  });

  it("runs the workflow on a red project through the server's API", async () => {
    const copy = copyProject(fixturePath("tools", "notes"));
    try {
      const out = await api<{ redgreen: { status: string; iterations: number }; messages: { name?: string; content: string }[] }>(
        "/runs/wait",
        {
          method: "POST",
          body: { assistant_id: assistantId, input: { projectRoot: copy.root } },
        },
      );
      expect(out.redgreen).toMatchObject({ status: "passed", iterations: 1 });
      expect(out.messages.at(-1)).toMatchObject({ name: "redgreen", content: expect.stringMatching(/PASSED after 1 iteration/) });
      expect(readFileSync(join(copy.root, "notes", "text.py"), "utf8")).toMatch(/^import textwrap$/m);
      // The studio graph keeps redgreen's own records in the project's database, like the CLI.
      expect(readFileSync(join(copy.root, ".redgreen", ".gitignore"), "utf8")).toContain("*");
    } finally {
      copy.cleanup();
    }
  }, 60_000);
});
