// Plain JS files TypeScript does not check (no tsconfig, no checkJs): `redgreen run --no-llm` restores a deleted require
// as the project's other files write it (declining on two ways), else as the one declared package's README writes it
// (declining when the README binds the name two ways), also when a try swallowed the ReferenceError, and renames a
// misspelt top-level name.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyJsProject } from "../helpers/project-copy.js";
import { fixturePath } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function fixtureCopy(): string {
  const copy = copyJsProject(fixturePath("jest", "plain-js-import"));
  cleanups.push(copy.cleanup);
  return copy.root;
}

interface Summary {
  status: string;
  fixes: { file: string; strategy: string; status: string }[];
}

const run = async (root: string): Promise<Summary> => {
  const r = await runCli(["run", root, "--no-llm", "--json", "--db", join(root, "rg.db")]);
  expectNoStackTrace(r.stderr);
  return JSON.parse(r.stdout) as Summary;
};

describe("a deleted import in unchecked plain JS", () => {
  it("is restored as the project's other files write it, after the file's last import", async () => {
    const root = fixtureCopy();
    const testBefore = readFileSync(join(root, "tests", "report.test.js"), "utf8");
    const summary = await run(root);
    expect(summary.status).toBe("passed");
    expect(summary.fixes.filter((f) => f.status === "kept")).toMatchObject([{ file: "src/report.js", strategy: "add_import" }]);
    expect(readFileSync(join(root, "src", "report.js"), "utf8")).toContain(
      'const { total } = require("./total");\nconst util = require("node:util");\n',
    );
    expect(readFileSync(join(root, "tests", "report.test.js"), "utf8")).toBe(testBefore);
  }, 180_000);

  it("is left alone when the project imports the name two ways (a guess between them)", async () => {
    const root = fixtureCopy();
    writeFileSync(
      join(root, "src", "label.js"),
      '// A label.\nconst util = require("util");\n\nmodule.exports = { label: (x) => util.format("<%s>", x) };\n',
    );
    const before = readFileSync(join(root, "src", "report.js"), "utf8");
    const summary = await run(root);
    expect(summary.status).toBe("stuck");
    expect(summary.fixes.filter((f) => f.status === "kept")).toEqual([]);
    expect(readFileSync(join(root, "src", "report.js"), "utf8")).toBe(before);
  }, 180_000);
});

describe("a deleted require of a package no project file imports", () => {
  const documentedCopy = (): string => {
    const copy = copyJsProject(fixturePath("jest", "plain-js-documented"));
    cleanups.push(copy.cleanup);
    return copy.root;
  };

  it("is restored as the package's README binds the name, in the file's own style", async () => {
    const root = documentedCopy();
    const summary = await run(root);
    expect(summary.status).toBe("passed");
    expect(summary.fixes.filter((f) => f.status === "kept")).toMatchObject([{ file: "src/newest.js", strategy: "add_import" }]);
    expect(readFileSync(join(root, "src", "newest.js"), "utf8")).toContain(
      'const { label } = require("./label");\nconst semver = require("semver");\n',
    );
  }, 180_000);

  it("is left alone when the README binds the name two ways (debug: the module, and a call of it)", async () => {
    const root = documentedCopy();
    const source = [
      "// Logs each release it labels. Its require of debug was deleted.",
      'const { label } = require("./label");',
      "",
      "const log = (version) => {",
      "  debug(version);",
      "  return label(version);",
      "};",
      "",
      "module.exports = { newest: (a, b) => log(a > b ? a : b) };",
      "",
    ].join("\n");
    writeFileSync(join(root, "src", "newest.js"), source);
    writeFileSync(
      join(root, "tests", "newest.test.js"),
      'const { newest } = require("../src/newest");\n\ntest("labels", () => expect(newest("b", "a")).toBe("vb"));\n',
    );
    const summary = await run(root);
    expect(summary.status).toBe("stuck");
    expect(summary.fixes.filter((f) => f.status === "kept")).toEqual([]);
    expect(readFileSync(join(root, "src", "newest.js"), "utf8")).toBe(source);
  }, 180_000);
});

describe("a deleted require whose ReferenceError a try swallows (fixture: jest/plain-js-swallowed)", () => {
  it("is restored from the name nothing defines in the file the failing test requires, though the failure is an assertion", async () => {
    const copy = copyJsProject(fixturePath("jest", "plain-js-swallowed"));
    cleanups.push(copy.cleanup);
    const testBefore = readFileSync(join(copy.root, "tests", "newest.test.js"), "utf8");
    const summary = await run(copy.root);
    expect(summary.status).toBe("passed");
    expect(summary.fixes.filter((f) => f.status === "kept")).toMatchObject([{ file: "src/newest.js", strategy: "add_import" }]);
    const restored = readFileSync(join(copy.root, "src", "newest.js"), "utf8");
    expect(restored).toContain('const { label } = require("./label");\nconst semver = require("semver");\n');
    expect(readFileSync(join(copy.root, "tests", "newest.test.js"), "utf8")).toBe(testBefore);
  }, 180_000);
});

describe("a misspelt name in unchecked plain JS", () => {
  it("is renamed to the one name one edit away: a top-level one used in a getter of module.exports, a local over a global", async () => {
    const copy = copyJsProject(fixturePath("jest", "plain-js-spelling"));
    cleanups.push(copy.cleanup);
    const summary = await run(copy.root);
    expect(summary.status).toBe("passed");
    const kept = summary.fixes.filter((f) => f.status === "kept");
    expect(kept.map((f) => `${f.file} ${f.strategy}`)).toEqual(["src/request.js fix_attribute_name", "src/request.js fix_attribute_name"]);
    const text = readFileSync(join(copy.root, "src", "request.js"), "utf8");
    expect(text).toContain('return normalize(this.header["content-type"]);');
    expect(text).toContain('return proxy && this.header["x-forwarded-proto"] === "https";');
  }, 180_000);
});
