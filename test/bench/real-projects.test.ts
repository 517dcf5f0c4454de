// The real-projects harness on a tiny real pytest project: candidates of each kind (candidates.py, candidates-js.mjs),
// a mutant applied in place turns the bare runner red, and restoring puts the checkout back byte for byte.
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMutation, bareRun, changedFiles, isTestFile, restore, sh, verdictOf } from "../../bench/lib/corpus.mjs";
import type { Mutation, ProjectList } from "../../bench/lib/corpus.mjs";
import { jsCandidates } from "../../bench/real-projects/candidates-js.mjs";
import { fixturePath, testDir, venvDir } from "../helpers/python-env.js";

const candidatesPy = join(testDir, "..", "bench", "real-projects", "candidates.py");
const project: ProjectList = {
  project: "minilib",
  origin: { repo: "local/minilib", commit: "0".repeat(40) },
  language: "python",
  runner: "pytest",
  setup: [],
  sources: ["minilib"],
  kinds: ["deleted-import", "misspelling", "missing-await", "undefined-access"],
};

describe("real-projects harness (fixture: real-projects/minilib)", () => {
  let corpus: string;
  let dir: string;
  let core: string;
  beforeAll(async () => {
    corpus = await mkdtemp(join(tmpdir(), "redgreen-corpus-"));
    dir = join(corpus, "minilib");
    await cp(fixturePath("real-projects", "minilib"), dir, { recursive: true });
    await mkdir(join(corpus, ".venvs"));
    await symlink(venvDir, join(corpus, ".venvs", "minilib"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "fixture");
    core = await readFile(join(dir, "minilib", "core.py"), "utf8");
  });
  afterAll(async () => {
    await rm(corpus, { recursive: true, force: true });
  });

  it("lists a deleted import, a misspelt use and a None guard of a Python file", () => {
    const r = sh(join(venvDir, "bin", "python"), [candidatesPy], { input: JSON.stringify({ files: { "minilib/core.py": core } }) });
    expect(r.code).toBe(0);
    const found = (JSON.parse(r.stdout) as { candidates: Omit<Mutation, "id">[] }).candidates;
    const brief = found.map((c) => `${c.kind} ${c.line} ${c.mutated.trim()}`);
    expect(brief).toContain("deleted-import 2 ");
    expect(brief).toContain("misspelling 10 match = WROD.search(text)");
    expect(brief).toContain("undefined-access 8 if False:");
    expect(brief).toContain("undefined-access 11 return None");
    // A literal return value is not a lost value, and builtins are never misspelt.
    expect(brief.filter((b) => b.startsWith("undefined-access 9"))).toEqual([]);
  });

  it("lists a dropped await, ?. and ?? in TypeScript, but not a type-only import", () => {
    const text = [
      'import { load } from "./load";',
      'import type { Shape } from "./shape";',
      "",
      "export async function size(s?: Shape) {",
      '  const data = await load(s?.name ?? "default");',
      "  return data.length;",
      "}",
      "",
    ].join("\n");
    const brief = jsCandidates("src/size.ts", text).map((c) => `${c.kind} ${c.line} ${c.mutated.trim()}`);
    expect(brief).toContain("deleted-import 1 ");
    expect(brief.some((b) => b.startsWith("deleted-import 2"))).toBe(false);
    expect(brief).toContain('missing-await 5 const data = load(s?.name ?? "default");');
    expect(brief).toContain('undefined-access 5 const data = await load(s.name ?? "default");');
    expect(brief).toContain("undefined-access 5 const data = await load(s?.name);");
  });

  it("a mutant turns the bare runner red; restoring brings back the checkout byte for byte and a green run", () => {
    const green = bareRun(corpus, project);
    expect(green).toMatchObject({ green: true, counts: { passed: 3, failed: 0, skipped: 0, errors: 0 } });
    applyMutation(dir, {
      id: "undefined-access-01",
      kind: "undefined-access",
      file: "minilib/core.py",
      line: 8,
      original: "    if text is None:",
      mutated: "    if False:",
    });
    expect(changedFiles(dir)).toEqual(["minilib/core.py"]);
    const red = bareRun(corpus, project, { bail: true });
    expect(red).toMatchObject({ green: false, counts: { passed: 1, failed: 1 } });
    restore(dir);
    expect(changedFiles(dir)).toEqual([]);
    expect(bareRun(corpus, project).green).toBe(true);
  });

  it("a deleted import removes its line, and a stale line is refused instead of mutating the wrong text", async () => {
    applyMutation(dir, {
      id: "deleted-import-01",
      kind: "deleted-import",
      file: "minilib/core.py",
      line: 2,
      original: "import re",
      mutated: "",
    });
    expect(await readFile(join(dir, "minilib", "core.py"), "utf8")).toBe(core.replace("import re\n", ""));
    expect(() =>
      applyMutation(dir, { id: "x", kind: "misspelling", file: "minilib/core.py", line: 2, original: "import re", mutated: "import er" }),
    ).toThrow(/does not read/);
    restore(dir);
    expect(await readFile(join(dir, "minilib", "core.py"), "utf8")).toBe(core);
  });

  it("tells test files from source files by pytest, vitest and jest conventions", () => {
    expect(["tests/test_core.py", "src/a.test.ts", "lib/__tests__/x.js", "conftest.py", "pkg/util_test.py"].every(isTestFile)).toBe(true);
    expect(["minilib/core.py", "src/testing-utils.ts", "lib/attest.js"].some(isTestFile)).toBe(false);
  });

  it("counts a mutant as fixed or equivalent only when redgreen itself said passed", () => {
    const clean = { changed: [], testFilesTouched: [] };
    expect(verdictOf({ status: "passed", bareGreen: true, ...clean })).toBe("fixed");
    expect(verdictOf({ status: "passed", bareGreen: true, changed: ["src/a.ts"], testFilesTouched: [] })).toBe("equivalent");
    // Cut off by the harness's timeout with a fix left on disk: the bare runner is green, but redgreen never said so.
    expect(verdictOf({ status: "timeout", bareGreen: true, ...clean })).toBe("not-green");
    expect(verdictOf({ status: "stuck", bareGreen: true, changed: ["src/a.ts"], testFilesTouched: [] })).toBe("not-green");
    expect(verdictOf({ status: "passed", bareGreen: false, ...clean })).toBe("wrong");
    expect(verdictOf({ status: "failed", bareGreen: true, changed: ["tests/test_a.py"], testFilesTouched: ["tests/test_a.py"] })).toBe(
      "wrong",
    );
  });
});
