// The op table (src/python/ops.ts) and the shipped helper agree: it serves exactly the table's ops, each from its module.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { PythonHelper, type PythonCaller } from "../../src/python/client.js";
import { parseSource, ParseResultSchema } from "../../src/python/core-ops.js";
import { compareTests } from "../../src/python/integrity-ops.js";
import { OPS, callOp, opTimeoutMs, type OpName } from "../../src/python/ops.js";
import { policyFindings } from "../../src/python/policy-ops.js";
import { droppedReturn } from "../../src/fixers/patterns/python-ops.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

describe("the helper's op table", () => {
  let helper: PythonHelper;
  beforeAll(async () => {
    helper = await PythonHelper.start({ python: testPython, projectRoot: fixturePath("validation", "project") });
  });
  afterAll(async () => helper?.close());

  it("the shipped helper serves exactly the table's ops plus its own ping and version, with no module failing to load", () => {
    expect(helper.info.loadErrors).toEqual({});
    expect([...helper.info.ops].sort()).toEqual([...Object.keys(OPS), "ping", "version"].sort());
  });

  it("each op comes from the module the table names", () => {
    const served = Object.fromEntries((Object.keys(OPS) as OpName[]).map((op) => [op, helper.info.origins[op]]));
    expect(served).toEqual(Object.fromEntries((Object.keys(OPS) as OpName[]).map((op) => [op, OPS[op].module])));
  });

  it("every op has a budget of at least 10 s, growing with the source only for the ops that are sent source text", () => {
    const ops = Object.keys(OPS) as OpName[];
    for (const op of ops) expect(opTimeoutMs(op, 0)).toBeGreaterThanOrEqual(10_000);
    const growing = ops.filter((op) => opTimeoutMs(op, 172_000)! > opTimeoutMs(op, 0)!);
    expect(growing.sort()).toEqual(
      ["check_indentation", "compare_tests", "list_imports", "outline", "overfit_findings", "parse", "policy_findings"].sort(),
    );
  });
});

describe("a reply of the wrong shape", () => {
  /** A caller answering every op with the same reply, as a helper out of step with this side would. */
  const answering = (reply: unknown): PythonCaller => ({ call: <T>() => Promise.resolve(reply as T) });

  it.each<[string, (h: PythonCaller) => Promise<unknown>]>([
    ["parse (parse)", (h) => parseSource(h, "x = 1")],
    ["compare_tests (compare_tests)", (h) => compareTests(h, "a", "b")],
    ["policy_findings (policy)", (h) => policyFindings(h, "x = 1", "m.py", false, { pattern: "KEY", notSecret: [] })],
    ["dropped_return (dropped_return)", (h) => droppedReturn(h, { frames: [] })],
  ])("%s fails as one internal error naming the op", async (label, call) => {
    const error = await call(answering({ surprise: true })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedgreenError);
    expect((error as RedgreenError).code).toBe("internal");
    expect((error as Error).message).toContain(`python helper op "${label.split(" ")[0]}" returned an unexpected shape`);
  });

  it("a good reply comes back parsed", async () => {
    await expect(callOp(answering({ ok: true, warnings: [] }), "parse", { source: "" }, ParseResultSchema)).resolves.toEqual({
      ok: true,
      warnings: [],
    });
  });
});
