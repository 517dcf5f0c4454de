// The tool contract: schemas models can read, error results instead of exceptions, progress events, use by createAgent.
import { rmSync } from "node:fs";
import { AIMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { createAgent } from "langchain";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import type { Store } from "../../src/store/index.js";
import { createTools, defineTool, PROGRESS_EVENT } from "../../tools/index.js";
import type { ProjectServices, RedgreenTool, ToolProgressEvent } from "../../tools/index.js";
import { copyToolsFixture, openProjectStore, realDeps, testProjects } from "./helpers.js";

let project: string;
let store: Store;
let projects: ProjectServices;
let tools: RedgreenTool[];
const byName = (name: string): RedgreenTool => tools.find((t) => t.name === name)!;

beforeAll(() => {
  project = copyToolsFixture("shop");
  store = openProjectStore(project);
  projects = testProjects();
  tools = createTools(realDeps(project, { store, projects }));
});

afterAll(async () => {
  await projects.close();
  store.close();
  rmSync(project, { recursive: true, force: true });
});

type JsonSchemaNode = {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  required?: string[];
};

/** Every property path in a JSON schema that has no description. */
function undescribed(node: JsonSchemaNode, path: string): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (!child.description) out.push(`${path}.${key}`);
    out.push(...undescribed(child, `${path}.${key}`));
  }
  if (node.items) out.push(...undescribed(node.items, `${path}[]`));
  return out;
}

describe("schemas", () => {
  it("createTools returns every tool once", () => {
    expect(tools.map((t) => t.name)).toEqual([
      "run_tests",
      "run_specific_test",
      "parse_test_output",
      "analyze_failure",
      "find_pattern_fix",
      "generate_llm_fix",
      "validate_fix",
      "apply_fix",
      "rollback_fix",
      "get_test_report",
      "list_workflows",
      "fix_failing_tests",
      "start_fix",
      "get_workflow",
      "cancel_workflow",
    ]);
  });

  it.each([
    "run_tests",
    "run_specific_test",
    "parse_test_output",
    "analyze_failure",
    "find_pattern_fix",
    "generate_llm_fix",
    "validate_fix",
    "apply_fix",
    "rollback_fix",
    "get_test_report",
    "list_workflows",
    "fix_failing_tests",
    "start_fix",
    "get_workflow",
    "cancel_workflow",
  ])("%s: every field is described and only the truly required ones are required", (name) => {
    const schema = toJsonSchema(byName(name).schema) as JsonSchemaNode;
    expect(schema.type).toBe("object");
    expect(undescribed(schema, name)).toEqual([]);
    const required = schema.required ?? [];
    for (const key of required) expect(byName(name).schema.shape[key]!.safeParse(undefined).success).toBe(false);
    expect(byName(name).description.length).toBeGreaterThan(80);
  });

  it("required fields are exactly the non-optional ones", () => {
    expect((toJsonSchema(byName("run_specific_test").schema) as JsonSchemaNode).required?.sort()).toEqual(["testFile", "testName"]);
    expect((toJsonSchema(byName("run_tests").schema) as JsonSchemaNode).required ?? []).toEqual([]);
    expect((toJsonSchema(byName("rollback_fix").schema) as JsonSchemaNode).required).toEqual(["applyId"]);
  });
});

describe("defineTool", () => {
  const echo = defineTool({
    name: "echo",
    description: "Echoes its input, or fails the way it is told to.",
    schema: z.strictObject({
      text: z.string().describe("what to echo"),
      fail: z.enum(["redgreen", "plain"]).optional().describe("how to fail"),
    }),
    async run(input, ctx) {
      await ctx.progress({ progress: 1, total: 2, message: "half" });
      if (input.fail === "redgreen") throw new RedgreenError("not_found", "nothing there");
      if (input.fail === "plain") throw new TypeError("boom");
      await ctx.progress({ progress: 2, total: 2 });
      return input.text;
    },
  });

  it("returns the body's text", async () => {
    expect(await echo.invoke({ text: "hi" })).toBe("hi");
  });

  it("turns thrown faults into error JSON, keeping the RedgreenError code", async () => {
    expect(JSON.parse((await echo.invoke({ text: "x", fail: "redgreen" })) as string)).toEqual({
      error: "nothing there",
      code: "not_found",
    });
    expect(JSON.parse((await echo.invoke({ text: "x", fail: "plain" })) as string)).toEqual({ error: "boom", code: "internal" });
  });

  it("marks error ToolMessages with status error and keeps successful ones plain", async () => {
    const bad = (await echo.invoke({ type: "tool_call", id: "a", name: "echo", args: { text: "x", fail: "plain" } })) as ToolMessage;
    expect(bad).toBeInstanceOf(ToolMessage);
    expect(bad.status).toBe("error");
    const good = (await echo.invoke({ type: "tool_call", id: "b", name: "echo", args: { text: "ok" } })) as ToolMessage;
    expect(good.status).toBe("success");
    expect(good.content).toBe("ok");
  });

  it("emits progress as LangChain custom events to the caller's callbacks", async () => {
    const events: [string, ToolProgressEvent][] = [];
    await echo.invoke(
      { text: "hi" },
      { callbacks: [{ handleCustomEvent: (name: string, data: unknown) => void events.push([name, data as ToolProgressEvent]) }] },
    );
    expect(events).toEqual([
      [PROGRESS_EVENT, { tool: "echo", progress: 1, total: 2, message: "half" }],
      [PROGRESS_EVENT, { tool: "echo", progress: 2, total: 2 }],
    ]);
  });

  it("lets a caller's abort propagate (cancellation is not a tool fault)", async () => {
    const controller = new AbortController();
    const running = byName("run_tests").invoke({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toThrow(/abort/i);
  });
});

describe("run_tests progress", () => {
  it("reports done tests out of collected, ending at the total", async () => {
    const events: ToolProgressEvent[] = [];
    const out = JSON.parse(
      (await byName("run_tests").invoke(
        {},
        { callbacks: [{ handleCustomEvent: (_: string, data: unknown) => void events.push(data as ToolProgressEvent) }] },
      )) as string,
    );
    expect(out.total).toBe(3);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.tool === "run_tests")).toBe(true);
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBe(progress.length);
    expect(events.at(-1)).toMatchObject({ progress: 3, total: 3 });
    expect(events.at(-1)!.message).toMatch(/^3\/3 tests done, 2 failed/);
  });
});

describe("inside createAgent", () => {
  it("an invalid call comes back to the model as an error ToolMessage and the agent carries on", async () => {
    const model = fakeModel()
      .respondWithTools([{ name: "analyze_failure", args: { nodeId: 7 }, id: "c1" }])
      .respondWithTools([{ name: "run_tests", args: { files: ["tests/test_cart.py::test_discount"] }, id: "c2" }])
      .respond(new AIMessage("The discount test passes."));
    const agent = createAgent({ model, tools });
    const res = await agent.invoke({ messages: [{ role: "user", content: "check the discount test" }] });
    const toolMessages = res.messages.filter((m) => ToolMessage.isInstance(m)) as ToolMessage[];
    expect(toolMessages.map((m) => [m.tool_call_id, m.status])).toEqual([
      ["c1", "error"],
      ["c2", "success"],
    ]);
    expect(String(toolMessages[0]!.content)).toContain(
      "invalid arguments for analyze_failure: nodeId: Invalid input: expected string, received number",
    );
    expect(JSON.parse(String(toolMessages[1]!.content))).toMatchObject({ status: "passed", passed: 1, total: 1 });
    expect(res.messages.at(-1)!.content).toBe("The discount test passes.");
  });
});
