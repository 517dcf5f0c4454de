// examples/multi-agent: the supervisor with scripted fakeModel()s, a real coder writing files and redgreen's real workflow.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import type { BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSupervisor } from "../../examples/multi-agent/supervisor.js";
import { createRedgreenToolkit } from "../../src/index.js";
import type { RedgreenToolkit } from "../../src/index.js";
import { runProcess } from "../../src/process/run.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

/** What the scripted coder writes: a feature using `re` without importing it, and its tests. */
const SLUG_MODULE = `"""Slugs for note titles."""


def slugify(title):
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)
`;
const SLUG_TESTS = `from notes.slug import slugify


def test_slugify_joins_words():
    assert slugify("Hello, World!") == "hello-world"


def test_slugify_drops_symbols():
    assert slugify("  A -- B  ") == "a-b"
`;

const pytest = (root: string) => runProcess(testPython, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], { cwd: root, timeoutMs: 60_000 });

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("the multi-agent example", () => {
  it("the supervisor has the coder write a feature, then redgreen takes the suite green", async () => {
    // The notes fixture is already red (a missing import); the coder adds a second bug of its own.
    const copy = copyProject(fixturePath("tools", "notes"));
    cleanups.push(copy.cleanup);
    const redgreen: RedgreenToolkit = createRedgreenToolkit({ projectRoot: copy.root, python: testPython, env: {}, testTimeoutSeconds: 5 });
    cleanups.push(() => redgreen.close());

    const coderModel = fakeModel()
      .respondWithTools([
        { name: "write_file", args: { path: "notes/slug.py", content: SLUG_MODULE }, id: "write-module" },
        { name: "write_file", args: { path: "tests/test_slug.py", content: SLUG_TESTS }, id: "write-tests" },
      ])
      .respond(new AIMessage("Wrote notes/slug.py and tests/test_slug.py."));
    const supervisorModel = fakeModel()
      .respondWithTools([{ name: "coder", args: { task: "Add slugify(title) to notes/slug.py with pytest tests." }, id: "call-coder" }])
      .respondWithTools([{ name: "fix_failing_tests", args: {}, id: "call-redgreen" }])
      .respond((messages: BaseMessage[]) => {
        const report = String(messages.at(-1)?.content ?? "").split("\n")[0];
        return new AIMessage(`slugify is in notes/slug.py. ${report}`);
      });

    const supervisor = createSupervisor({ model: supervisorModel, coderModel, projectRoot: copy.root, redgreen: redgreen.deps });
    const started = performance.now();
    const out = await supervisor.invoke({
      messages: [{ role: "user", content: "Add a slugify helper for note titles and make sure the suite is green." }],
    });
    const seconds = (performance.now() - started) / 1000;

    // The conversation: coder call and answer, redgreen call and summary, the final report.
    const tools = out.messages.filter((m: BaseMessage): m is ToolMessage => ToolMessage.isInstance(m));
    expect(tools.map((m) => [m.name, m.status ?? "success"])).toEqual([
      ["coder", "success"],
      ["fix_failing_tests", "success"],
    ]);
    expect(tools[0]!.content).toBe("Wrote notes/slug.py and tests/test_slug.py.");
    const summary = String(tools[1]!.content);
    expect(summary).toMatch(/^redgreen workflow [\w-]+: PASSED after 1 iteration\. all tests pass$/m);
    expect(summary).toContain("Tests: before 1 passed, 4 failed, 0 errors of 5; after 5 passed, 0 failed, 0 errors of 5.");
    expect(summary).toContain("  - notes/slug.py: pattern/add_import");
    expect(summary).toContain("  - notes/text.py: pattern/add_import");
    expect(String(out.messages.at(-1)!.content)).toMatch(/^slugify is in notes\/slug\.py\. redgreen workflow [\w-]+: PASSED/);
    expect(supervisorModel.callCount).toBe(3);
    expect(coderModel.callCount).toBe(2);

    // The project really is green, with the coder's tests intact.
    expect(readFileSync(join(copy.root, "notes", "slug.py"), "utf8")).toMatch(/^import re$/m);
    expect(readFileSync(join(copy.root, "notes", "text.py"), "utf8")).toMatch(/^import textwrap$/m);
    expect(readFileSync(join(copy.root, "tests", "test_slug.py"), "utf8")).toBe(SLUG_TESTS);
    const run = await pytest(copy.root);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/5 passed/);
    console.info(`multi-agent example: ${seconds.toFixed(1)} s`);
  }, 60_000);

  it("the coder cannot write outside the project, and says so to the model", async () => {
    const copy = copyProject(fixturePath("tools", "notes"));
    cleanups.push(copy.cleanup);
    const coderModel = fakeModel()
      .respondWithTools([{ name: "write_file", args: { path: "../escape.py", content: "x = 1\n" }, id: "escape" }])
      .respond(new AIMessage("I could not write that file."));
    const supervisorModel = fakeModel()
      .respondWithTools([{ name: "coder", args: { task: "write ../escape.py" }, id: "call-coder" }])
      .respond(new AIMessage("The coder refused."));
    const supervisor = createSupervisor({
      model: supervisorModel,
      coderModel,
      projectRoot: copy.root,
      redgreen: { projectRoot: copy.root, runWorkflow: () => Promise.reject(new Error("not called")) },
    });
    await supervisor.invoke({ messages: [{ role: "user", content: "try it" }] });
    const coderToolResult = coderModel.calls[1]!.messages.find((m) => ToolMessage.isInstance(m));
    expect(coderToolResult?.content).toBe("error: ../escape.py is not a file inside the project");
  });
});
