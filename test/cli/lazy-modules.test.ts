// `redgreen run --no-llm` through the built CLI: the OpenAI client (@langchain/openai) is never loaded without a model.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { copyJsProject } from "../helpers/project-copy.js";
import { fixturePath } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const preload = fileURLToPath(new URL("../helpers/module-log.mjs", import.meta.url));
const repo = fileURLToPath(new URL("../..", import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The URLs of the bundle's chunks that hold a module of `pkg` (esbuild's metafile, written by scripts/bundle.mjs). */
function chunksHolding(pkg: string): string[] {
  const meta = JSON.parse(readFileSync(join(repo, "dist", "bundle", "meta.json"), "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return Object.entries(meta.outputs)
    .filter(([, output]) => Object.keys(output.inputs).some((input) => input.includes(`node_modules/${pkg}/`)))
    .map(([file]) => pathToFileURL(join(repo, file)).href);
}

describe("redgreen run --no-llm", () => {
  it("fixes the bug without importing @langchain/openai (it loads on first use of a model)", async () => {
    const copy = copyJsProject(fixturePath("jest", "plain-js-import"));
    cleanups.push(copy.cleanup);
    const log = join(copy.root, "modules.log");
    const r = await runCli(["run", copy.root, "--no-llm", "--json", "--db", join(copy.root, "rg.db")], {
      env: { NODE_OPTIONS: `--import=${preload}`, REDGREEN_TEST_MODULE_LOG: log },
    });
    expectNoStackTrace(r.stderr);
    expect((JSON.parse(r.stdout) as { status: string }).status).toBe("passed");
    expect(existsSync(log)).toBe(true);
    const loaded = new Set(readFileSync(log, "utf8").split("\n"));
    const openai = chunksHolding("@langchain/openai");
    expect(openai.length).toBeGreaterThan(0);
    // The hook saw the chunk with the workflow's own LangGraph modules, so an absent OpenAI chunk was not loaded.
    expect(chunksHolding("@langchain/langgraph").some((url) => loaded.has(url))).toBe(true);
    expect(openai.filter((url) => loaded.has(url))).toEqual([]);
    expect([...loaded].filter((url) => url.includes("/@langchain/openai/"))).toEqual([]);
  }, 180_000);
});
