// extractLocationFromTrace and frame classification: the innermost project frame, relative to the project root.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFrameFile, isTestPath, projectRelativePath } from "../../src/analysis/frames.js";
import { extractLocationFromTrace } from "../../src/analysis/locate.js";
import type { StackFrame } from "../../src/domain/failure.js";
import { failuresFromTerminal, projectsDir, readCaptured, readPlainTraceback } from "./corpus.js";

const root = "/srv/app";
const section = (version: string, project: string, style: string, nodeId: string): string =>
  failuresFromTerminal(readCaptured(version, project, `${style}.txt`)!).find((f) => f.nodeId === nodeId)!.failure.stackTrace;

describe("classifyFrameFile", () => {
  it.each([
    ["<frozen importlib._bootstrap>", "stdlib"],
    ["/usr/lib/python3.11/json/decoder.py", "stdlib"],
    ["/root/.pyenv/versions/3.11.7/lib/python3.11/re/_parser.py", "stdlib"],
    ["/srv/app/.venv/lib/python3.11/site-packages/sqlalchemy/orm/session.py", "library"],
    ["/usr/lib/python3/dist-packages/requests/api.py", "library"],
    ["../../.venv/lib/python3.11/site-packages/_pytest/python.py", "library"],
    ["/srv/app/venv/lib/python3.11/site-packages/x.py", "library"],
    ["/opt/other/project/mod.py", "library"],
    ["tests/test_api.py", "test"],
    ["tests/helpers/factories.py", "test"],
    ["conftest.py", "test"],
    ["app/orders_test.py", "test"],
    ["/srv/app/app/api.py", "project"],
    ["app/api.py", "project"],
    ["src/app/testing_utils.py", "project"],
  ])("%s → %s", (file, kind) => {
    expect(classifyFrameFile(file, root)).toBe(kind);
  });

  it("judges test folders inside the project only (a project kept under some test/ folder is still project code)", () => {
    const project = join(projectsDir, "shop");
    expect(classifyFrameFile(join(project, "shop", "pricing.py"), project)).toBe("project");
    expect(classifyFrameFile(join(project, "tests", "conftest.py"), project)).toBe("test");
    expect(isTestPath("shop/pricing.py")).toBe(false);
    expect(projectRelativePath(join(project, "shop", "pricing.py"), project)).toBe("shop/pricing.py");
    expect(projectRelativePath("/elsewhere/x.py", project)).toBeNull();
  });
});

describe("extractLocationFromTrace with structured frames", () => {
  const frames: StackFrame[] = [
    { file: "/srv/app/tests/test_api.py", line: 12, function: "test_profile", kind: "test" },
    { file: "/srv/app/app/api.py", line: 30, function: "get_profile", code: "user = fetch_user(uid)", kind: "project" },
    { file: "/srv/app/app/db.py", line: 8, function: "query", kind: "project" },
    {
      file: "/srv/app/.venv/lib/python3.11/site-packages/sqlalchemy/engine/base.py",
      line: 1967,
      function: "_exec_single_context",
      kind: "library",
    },
    { file: "/usr/lib/python3.11/sqlite3/dbapi2.py", line: 10, function: "execute", kind: "stdlib" },
  ];

  it("returns the innermost project frame, relative to the project root", () => {
    expect(extractLocationFromTrace(frames, { projectRoot: root })).toEqual({
      file: "app/db.py",
      line: 8,
      function: "query",
      kind: "project",
    });
  });

  it("classifies frames itself when the plugin gave no kind", () => {
    const bare = frames.map(({ kind: _kind, ...f }) => f);
    expect(extractLocationFromTrace(bare, { projectRoot: root })).toMatchObject({ file: "app/db.py", line: 8 });
  });

  it("trusts a reported kind over the path", () => {
    const vendored: StackFrame[] = [...frames.slice(0, 2), { file: "/srv/app/app/db.py", line: 8, function: "query", kind: "library" }];
    expect(extractLocationFromTrace(vendored, { projectRoot: root })).toMatchObject({
      file: "app/api.py",
      line: 30,
      code: "user = fetch_user(uid)",
    });
  });

  it("falls back to the innermost test frame when no project frame exists, and to null without either", () => {
    const inTest: StackFrame[] = [frames[0]!, { file: "tests/conftest.py", line: 5, function: "db" }, frames[3]!];
    expect(extractLocationFromTrace(inTest, { projectRoot: root })).toEqual({
      file: "tests/conftest.py",
      line: 5,
      function: "db",
      kind: "test",
    });
    expect(extractLocationFromTrace([frames[3]!, frames[4]!], { projectRoot: root })).toBeNull();
    expect(extractLocationFromTrace([], { projectRoot: root })).toBeNull();
  });
});

describe("extractLocationFromTrace with traceback text", () => {
  const shop = join(projectsDir, "shop");
  for (const [version, style] of [
    ["7", "long"],
    ["8", "short"],
    ["9", "native"],
  ] as const) {
    it(`finds the project call site of a failure deep in the stdlib (pytest ${version} --tb=${style})`, () => {
      expect(
        extractLocationFromTrace(section(version, "shop", style, "tests/test_orders.py::test_find_codes"), { projectRoot: shop }),
      ).toMatchObject({
        file: "shop/search.py",
        line: 6,
        function: "find_codes",
        kind: "project",
      });
    });

    it(`points at the test itself for a NameError in the test (pytest ${version} --tb=${style})`, () => {
      expect(
        extractLocationFromTrace(section(version, "shop", style, "tests/test_utils.py::test_config_path_is_json"), { projectRoot: shop }),
      ).toMatchObject({
        file: "tests/test_utils.py",
        line: 25,
        kind: "test",
      });
    });

    it(`returns a SyntaxError's own file and line (pytest ${version} --tb=${style})`, () => {
      const broken = join(projectsDir, "broken");
      expect(extractLocationFromTrace(section(version, "broken", style, "tests/test_parser.py"), { projectRoot: broken })).toMatchObject({
        file: "app/parser.py",
        line: 5,
      });
      expect(
        extractLocationFromTrace(section(version, "broken", style, "tests/test_broken_test.py"), { projectRoot: broken }),
      ).toMatchObject({ file: "tests/test_broken_test.py", line: 8 });
    });
  }

  it("reads a plain CPython traceback", () => {
    const plain = join(projectsDir, "plain");
    expect(extractLocationFromTrace(readPlainTraceback("syntax_import"), { projectRoot: plain })).toMatchObject({
      file: "broken_module_dir/broken_module.py",
      line: 1,
    });
    expect(extractLocationFromTrace(readPlainTraceback("chained"), { projectRoot: plain })).toMatchObject({
      file: "chained.py",
      line: 16,
      function: "main",
    });
  });
});
