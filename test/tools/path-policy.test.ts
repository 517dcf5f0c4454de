// The one path policy through the real tools: nothing outside the project root is run or read, whatever path names it.
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveInProject, readProjectText } from "../../src/project-path.js";
import { createTools } from "../../tools/index.js";
import type { RedgreenTool } from "../../tools/index.js";
import { TARGET_KINDS, forbiddenContent, hostileOutput, outsideOf, runTargets } from "./path-attacks.js";
import type { Outside } from "./path-attacks.js";
import { copyToolsFixture, realDeps } from "./helpers.js";

let shop: string;
let outside: Outside;
let tools: RedgreenTool[];
let close: () => Promise<void>;

const call = async (name: string, args: Record<string, unknown>): Promise<string> =>
  String(await tools.find((t) => t.name === name)!.invoke(args));

beforeAll(() => {
  shop = copyToolsFixture("shop");
  outside = outsideOf(shop);
  const deps = realDeps(shop);
  tools = createTools(deps);
  close = async () => {
    await deps.projects.close();
    deps.store.close();
  };
});

afterAll(async () => {
  await close();
  outside.cleanup();
  rmSync(dirname(shop), { recursive: true, force: true });
});

describe("the path policy (src/project-path.ts)", () => {
  it("resolves files inside the project, also through an inner symlink, and refuses every way out", () => {
    mkdirSync(join(shop, "docs"), { recursive: true });
    symlinkSync("../shop/cart.py", join(shop, "docs", "cart-link.py"));
    expect(resolveInProject(shop, "docs/cart-link.py", { action: "read" }).rel).toBe("shop/cart.py");
    expect(resolveInProject(shop, join(shop, "tests/test_cart.py"), { action: "run" }).rel).toBe("tests/test_cart.py");
    expect(resolveInProject(shop, "tests/not_yet.py", { action: "run" }).rel).toBe("tests/not_yet.py");
    expect(() => resolveInProject(shop, "tests/not_yet.py", { action: "read", mustExist: true })).toThrowError(
      /no such file in the project/,
    );
    expect(() => resolveInProject(shop, "linked/not_there.py", { action: "run" })).toThrowError(
      /through a symlink\) to a file outside the project root/,
    );
    expect(() => resolveInProject(shop, "/etc/passwd", { action: "read" })).toThrowError(
      /refusing to read "\/etc\/passwd": the path leaves the project root/,
    );
    expect(() => resolveInProject(shop, "a\0b", { action: "read" })).toThrowError(/not a file path/);
    expect(readProjectText(shop, "linked/secret.py")).toBeNull();
    expect(readProjectText(shop, "../../../../etc/passwd")).toBeNull();
    expect(readProjectText(shop, "docs/cart-link.py")).toContain("def total");
    rmSync(join(shop, "docs"), { recursive: true });
  });
});

describe("tools refuse test targets outside the project", () => {
  it.each(TARGET_KINDS)("run_tests refuses the %s target and runs nothing", async (kind) => {
    const target = runTargets(shop, outside)[kind];
    const out = JSON.parse(await call("run_tests", { files: ["tests/test_cart.py", target] })) as { error: string; code: string };
    expect(out.code).toBe("usage");
    expect(out.error).toMatch(
      /^refusing to run ".*": (the path leaves the project root|it resolves \(through a symlink\)|a test path cannot start with '-')/,
    );
    expect(existsSync(outside.marker)).toBe(false);
  });

  it("run_specific_test refuses absolute, ../ and symlinked test files", async () => {
    const targets = runTargets(shop, outside);
    for (const testFile of [targets.absolute, targets.dotdot, targets.symlinked, targets.option]) {
      const out = JSON.parse(await call("run_specific_test", { testFile, testName: "test_evil" })) as { error: string; code: string };
      expect(out).toMatchObject({ code: "usage", error: expect.stringMatching(/^refusing to run /) });
    }
    expect(existsSync(outside.marker)).toBe(false);
  });

  it("still runs a test inside the project, and one reached through an inner symlink", async () => {
    symlinkSync("tests", join(shop, "tests-link"));
    try {
      const out = JSON.parse(await call("run_specific_test", { testFile: "tests-link/test_cart.py", testName: "test_discount" })) as {
        status: string;
        passed: number;
      };
      expect(out).toMatchObject({ status: "passed", passed: 1 });
      const all = JSON.parse(await call("run_tests", { files: [join(shop, "tests/test_cart.py")] })) as { total: number };
      expect(all.total).toBe(3);
    } finally {
      rmSync(join(shop, "tests-link"));
    }
  });
});

describe("analysis reads no file outside the project", () => {
  it("parse_test_output with /etc/passwd and outside frames, then analyze_failure: no line of those files in any result", async () => {
    const parsed = await call("parse_test_output", { output: hostileOutput(shop, outside), runner: "pytest" });
    const { runId, failures } = JSON.parse(parsed) as { runId: number; failures: { nodeId: string }[] };
    expect(failures.map((f) => f.nodeId)).toEqual(["tests/test_cart.py::test_x", "../../../../etc/passwd::test_y"]);
    const results = [parsed];
    for (const f of failures) {
      const analysis = await call("analyze_failure", { runId, nodeId: f.nodeId });
      expect(JSON.parse(analysis)).not.toHaveProperty("error");
      // The NameError hints would come from the read file: a close name in /etc/passwd ("root") or the secret's own name.
      expect(JSON.parse(analysis)).not.toHaveProperty("hint");
      results.push(analysis);
      for (const name of ["find_pattern_fix", "generate_llm_fix"]) results.push(await call(name, { runId, nodeId: f.nodeId }));
    }
    for (const text of results) for (const bad of forbiddenContent(outside)) expect(text).not.toContain(bad);
  });
});
