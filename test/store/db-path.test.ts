import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ignoreStateDir, resolveDbPath } from "../../src/store/index.js";

describe("resolveDbPath", () => {
  const base = { projectRoot: "/work/proj", cwd: "/home/me" };
  it("defaults to .redgreen/redgreen.db inside the project", () => {
    expect(resolveDbPath({ ...base, env: {} })).toBe("/work/proj/.redgreen/redgreen.db");
    expect(resolveDbPath({ ...base, env: { REDGREEN_DB: "" } })).toBe("/work/proj/.redgreen/redgreen.db");
  });
  it("takes REDGREEN_DB over the default and --db over both, relative to the shell's directory", () => {
    expect(resolveDbPath({ ...base, env: { REDGREEN_DB: "state/r.db" } })).toBe("/home/me/state/r.db");
    expect(resolveDbPath({ ...base, db: "/tmp/x.db", env: { REDGREEN_DB: "/tmp/y.db" } })).toBe("/tmp/x.db");
    expect(resolveDbPath({ ...base, db: ":memory:", env: {} })).toBe(":memory:");
  });
});

describe("ignoreStateDir", () => {
  it("writes a catch-all .gitignore into a .redgreen folder only, and never overwrites one", () => {
    const root = mkdtempSync(join(tmpdir(), "redgreen-state-"));
    mkdirSync(join(root, ".redgreen"));
    mkdirSync(join(root, "elsewhere"));
    ignoreStateDir(join(root, ".redgreen", "redgreen.db"));
    ignoreStateDir(join(root, "elsewhere", "r.db"));
    expect(readFileSync(join(root, ".redgreen", ".gitignore"), "utf8")).toMatch(/^\*$/m);
    expect(existsSync(join(root, "elsewhere", ".gitignore"))).toBe(false);
    writeFileSync(join(root, ".redgreen", ".gitignore"), "custom\n");
    ignoreStateDir(join(root, ".redgreen", "redgreen.db"));
    expect(readFileSync(join(root, ".redgreen", ".gitignore"), "utf8")).toBe("custom\n");
    rmSync(root, { recursive: true, force: true });
  });
});
