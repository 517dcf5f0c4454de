// `redgreen run --no-llm` through the built CLI: the OpenAI client (@langchain/openai) is never loaded without a model.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { copyJsProject } from "../helpers/project-copy.js";
import { fixturePath } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const preload = fileURLToPath(new URL("../helpers/module-log.mjs", import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

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
    const loaded = readFileSync(log, "utf8").split("\n");
    // The hook saw the workflow's own LangChain modules, so an absent @langchain/openai was looked for and not loaded.
    expect(loaded.some((url) => url.includes("/@langchain/langgraph/"))).toBe(true);
    expect(loaded.filter((url) => url.includes("/@langchain/openai/"))).toEqual([]);
  }, 180_000);
});
