// parsePythonTraceback on real output: pytest 7, 8 and 9 in --tb=long/short/native, JUnit bodies, and plain CPython.
import { describe, expect, it } from "vitest";
import { parsePythonTraceback, type ParsedTraceback } from "../../src/parsers/traceback.js";
import { failuresFromTerminal, meta, projectsDir, readCaptured, readPlainTraceback, STYLES } from "../analysis/corpus.js";

const VERSIONS = ["7", "8", "9"] as const;

/** The section pytest printed for one node id, parsed. */
function section(version: string, project: string, style: string, nodeId: string): ParsedTraceback {
  const text = readCaptured(version, project, `${style}.txt`);
  const found = failuresFromTerminal(text!).find((f) => f.nodeId === nodeId);
  if (!found) throw new Error(`no section for ${nodeId} in pytest${version}/${project}/${style}.txt`);
  return parsePythonTraceback(found.failure.stackTrace);
}

/** Frames as "file:line:function", project paths made relative as pytest's short/long styles print them. */
const where = (t: ParsedTraceback): string[] =>
  t.frames.map((f) => `${f.file.replace(`${projectsDir}/shop/`, "").replace(`${projectsDir}/broken/`, "")}:${f.line}:${f.function}`);
const innermost = (t: ParsedTraceback): string => where(t).at(-1)!;

describe("parsePythonTraceback on pytest output", () => {
  it("has captures for pytest 7, 8 and 9", () => {
    expect(
      Object.values(meta.versions)
        .map((v) => v.pytest.split(".")[0])
        .sort(),
    ).toEqual(["7", "8", "9"]);
  });

  for (const version of VERSIONS) {
    for (const style of STYLES) {
      describe(`pytest ${version} --tb=${style}`, () => {
        it("reads an assertion-rewrite failure: AssertionError, `assert -1 == 5`, the where line and the test frame", () => {
          const t = section(version, "shop", style, "tests/test_pricing.py::test_add");
          expect(t.errorType).toBe("AssertionError");
          expect(t.errorMessage.split("\n")[0]).toBe("assert -1 == 5");
          expect(t.errorMessage).toContain("where -1 = add(2, 3)");
          expect(innermost(t)).toBe("tests/test_pricing.py:7:test_add");
          expect(t.frames.at(-1)!.code).toBe("assert add(2, 3) == 5");
          expect(t.chain).toEqual([]);
        });

        it("follows a failure through project code into the stdlib (re) with every frame in order", () => {
          const t = section(version, "shop", style, "tests/test_orders.py::test_find_codes");
          expect(t.errorType).toBe("re.error");
          expect(t.errorMessage).toBe("missing ), unterminated subpattern at position 0");
          const frames = where(t);
          const testAt = frames.indexOf("tests/test_orders.py:15:test_find_codes");
          expect(testAt).toBeGreaterThanOrEqual(0);
          expect(frames[testAt + 1]).toBe("shop/search.py:6:find_codes");
          expect(frames.at(-1)).toMatch(/re\/_parser\.py:\d+:_parse$/);
        });

        it("splits an explicit chain (`raise ... from exc`): cause first, with its own frames", () => {
          const t = section(version, "shop", style, "tests/test_config.py::test_roundtrip");
          expect(t.errorType).toBe("shop.config.ConfigError");
          expect(t.errorMessage).toMatch(/^invalid config: Expecting property name/);
          expect(innermost(t)).toBe("shop/config.py:17:parse_config");
          expect(t.chain).toHaveLength(1);
          expect(t.chain[0]!.relation).toBe("cause");
          expect(t.chain[0]!.errorType).toBe("json.decoder.JSONDecodeError");
          expect(where({ ...t.chain[0]!, chain: [] })).toContain("shop/config.py:15:parse_config");
          expect(t.chain[0]!.frames.at(-1)!.function).toBe("raw_decode");
        });

        it("splits an implicit chain (During handling of the above exception)", () => {
          const t = section(version, "shop", style, "tests/test_config.py::test_port_fallback");
          expect(t.errorType).toBe("KeyError");
          expect(t.errorMessage).toBe("'default_port'");
          expect(innermost(t)).toBe("shop/config.py:28:port_of");
          expect(t.chain.map((c) => [c.relation, c.errorType, c.errorMessage])).toEqual([["context", "KeyError", "'port'"]]);
        });

        it("reads an exception group and its members", () => {
          const t = section(version, "shop", style, "tests/test_orders.py::test_validate_all");
          expect(t.errorType).toBe("ExceptionGroup");
          expect(t.errorMessage).toBe("invalid orders (2 sub-exceptions)");
          expect(innermost(t)).toBe("shop/export.py:12:validate_all");
          expect(t.group?.map((g) => `${g.errorType}: ${g.errorMessage}`)).toEqual([
            "ValueError: order 1 has no items",
            "ValueError: order 2 has no items",
          ]);
        });

        it("reads a fixture error at setup (frame in conftest) and a teardown error", () => {
          const setup = section(version, "shop", style, "tests/test_inventory.py::test_sized_inventory");
          expect(setup.errorType).toBe("TypeError");
          expect(setup.errorMessage).toContain("unexpected keyword argument 'capacity'");
          expect(innermost(setup)).toBe("tests/conftest.py:17:sized_inventory");
          const teardown = section(version, "shop", style, "tests/test_inventory.py::test_audit");
          expect(teardown.errorType).toBe("NameError");
          expect(innermost(teardown)).toBe("tests/conftest.py:28:audited_inventory");
        });

        it("reads pytest's fixture-not-found report with the available fixtures", () => {
          const t = section(version, "shop", style, "tests/test_inventory.py::test_uses_missing_fixture");
          expect(t.errorType).toBe("FixtureLookupError");
          expect(t.errorMessage).toMatch(/^fixture 'inventroy' not found\navailable fixtures: .*\binventory\b/);
          expect(innermost(t)).toBe("tests/test_inventory.py:40:test_uses_missing_fixture");
        });

        it("places a SyntaxError's own file and line (collection error) as the innermost frame", () => {
          const t = section(version, "broken", style, "tests/test_parser.py");
          expect(t.errorType).toBe("SyntaxError");
          expect(t.errorMessage).toBe("'(' was never closed");
          expect(innermost(t)).toBe("app/parser.py:5:<module>");
          expect(t.frames.at(-1)!.code).toBe("return text.split(");
          expect(where(t)).toContain("tests/test_parser.py:1:<module>");
          const indent = section(version, "broken", style, "tests/test_layout.py");
          expect(indent.errorType).toBe("IndentationError");
          expect(innermost(indent)).toBe("app/layout.py:8:<module>");
        });

        it("reads a dict diff as a multi-line assertion message", () => {
          const t = section(version, "shop", style, "tests/test_pricing.py::test_summarize");
          expect(t.errorType).toBe("AssertionError");
          expect(t.errorMessage).toMatch(/^assert \{'count': 1, .*\} == \{'count': 1, .*\}\n/);
          expect(t.errorMessage).toMatch(/Differing items:\n\s*\{'currency': 'usd'\} != \{'currency': 'USD'\}/);
        });
      });
    }
  }

  it("keeps the qualified type of a library exception raised deep inside SQLAlchemy", () => {
    const t = section("8", "dbapp", "long", "tests/test_repo.py::test_duplicate_author");
    expect(t.errorType).toBe("sqlalchemy.exc.IntegrityError");
    expect(t.errorMessage).toMatch(/^\(sqlite3\.IntegrityError\) UNIQUE constraint failed: authors\.name/);
    expect(t.frames.some((f) => f.file === "dbapp/repo.py" && f.line === 27 && f.function === "save_author")).toBe(true);
    expect(t.frames.at(-1)!.file).toMatch(/site-packages\/sqlalchemy\//);
    expect(t.chain[0]).toMatchObject({ relation: "cause", errorType: "sqlite3.IntegrityError" });
  });

  it("reads pytest's prose-only report (no traceback) as the message", () => {
    const t = section("8", "asyncapp", "short", "tests/test_users.py::test_unmarked_async");
    expect(t.frames).toEqual([]);
    expect(t.errorType).toBe("");
    expect(t.errorMessage).toMatch(/^async def functions are not natively supported\./);
  });

  it("parses a JUnit failure body the same as the terminal section", () => {
    const xml = readCaptured("9", "shop", "short.xml")!;
    const body = /name="test_restock"[^>]*><failure message="[^"]*">([\s\S]*?)<\/failure>/
      .exec(xml)![1]!
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
    const t = parsePythonTraceback(body);
    expect(t.errorType).toBe("AttributeError");
    expect(t.errorMessage).toBe("'Product' object has no attribute 'stok'");
    expect(innermost(t)).toBe("shop/inventory.py:30:restock");
  });
});

describe("parsePythonTraceback on plain CPython tracebacks", () => {
  const plain = (name: string): ParsedTraceback => parsePythonTraceback(readPlainTraceback(name));

  it("reads a two-link chain: cause, then context, then the final exception", () => {
    const t = plain("chained");
    expect(t.errorType).toBe("KeyError");
    expect(t.errorMessage).toBe("'fallback'");
    expect(t.frames.map((f) => `${f.line}:${f.function}`)).toEqual(["19:<module>", "16:main"]);
    expect(t.frames[1]!.code).toBe('return {}["fallback"]');
    expect(t.chain.map((c) => `${c.relation} ${c.errorType}: ${c.errorMessage}`)).toEqual([
      "cause json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
      "context ValueError: config is not JSON",
    ]);
    expect(t.chain[1]!.frames.map((f) => `${f.line}:${f.function}`)).toEqual(["14:main", "9:load"]);
  });

  it("reads a SyntaxError raised by an import, with the error's own location last", () => {
    const t = plain("syntax_import");
    expect(t.errorType).toBe("SyntaxError");
    expect(t.errorMessage).toBe("invalid syntax");
    expect(t.frames.at(-1)).toMatchObject({ line: 1, function: "<module>", code: "def f(:" });
    expect(t.frames.at(-1)!.file).toMatch(/broken_module_dir\/broken_module\.py$/);
  });

  it("reads a nested exception group", () => {
    const t = plain("group");
    expect(t.errorType).toBe("ExceptionGroup");
    expect(t.frames.map((f) => f.function)).toEqual(["<module>", "check"]);
    expect(t.group?.map((g) => g.errorType)).toEqual(["ValueError", "ExceptionGroup"]);
    expect(t.group?.[1]?.group?.map((g) => `${g.errorType}: ${g.errorMessage}`)).toEqual(["TypeError: not a number"]);
  });

  it("keeps CPython's Did-you-mean suggestion in the message", () => {
    const t = plain("name_hint");
    expect(t.errorType).toBe("NameError");
    expect(t.errorMessage).toBe("name 'wrods' is not defined. Did you mean: 'words'?");
  });

  it("tolerates CRLF line ends, ANSI colour codes and empty input", () => {
    const colored =
      '\u001b[31mTraceback (most recent call last):\u001b[0m\r\n  File "app.py", line 3, in run\r\n    go()\r\nValueError: boom\r\n';
    expect(parsePythonTraceback(colored)).toMatchObject({
      errorType: "ValueError",
      errorMessage: "boom",
      frames: [{ file: "app.py", line: 3, function: "run", code: "go()" }],
    });
    expect(parsePythonTraceback("")).toEqual({ frames: [], errorType: "", errorMessage: "", chain: [] });
  });
});
