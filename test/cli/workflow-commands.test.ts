import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testDir, testPython } from "../helpers/python-env.js";

const cli = join(testDir, "..", "bin", "redgreen.js");
const shop = join(testDir, "..", "examples", "shop");
const empty = mkdtempSync(join(tmpdir(), "redgreen-empty-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const redgreen = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", input: "", env: { ...process.env, REDGREEN_DB: "" } });

describe("workflow commands on bad input: one line, exit 2, no stack trace", () => {
  it.each([
    [["run", "/no/such/project"], /^redgreen: no such directory: \/no\/such\/project\n$/],
    [["run", shop, "--max-iterations", "0"], /^redgreen: --max-iterations needs a whole number from 1 to 20, got '0'\n$/],
    [["run", shop, "--max-iterations", "21"], /^redgreen: --max-iterations needs a whole number from 1 to 20, got '21'\n$/],
    [["run", shop, "--max-iterations", "two"], /^redgreen: --max-iterations needs a whole number from 1 to 20, got 'two'\n$/],
    [["run", shop, "--approve"], /^redgreen: --approve asks before each fix and needs an interactive terminal; .*\n$/],
    [["run", shop, "--python", "/no/such/python"], /^redgreen: .*\/no\/such\/python.*\n$/],
    [["run", shop, "--bogus"], /^redgreen: unknown option '--bogus'.*\n$/],
    [["resume"], /^redgreen: expected WORKFLOW_ID \[PATH\].*\n$/],
    [["resume", "nope", empty], /^redgreen: no redgreen database at .*\n$/],
    [["undo", "nope", empty], /^redgreen: no redgreen database at .*\n$/],
    [["report", "nope", empty], /^redgreen: no redgreen database at .*\n$/],
  ])("redgreen %j", (args, message) => {
    const r = redgreen(...args);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(r.status).toBe(2);
  });

  it("lists no workflows for a project that has none, without creating a database", () => {
    const r = redgreen("runs", empty);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^no workflows yet \(no database at .*redgreen\.db\)\n$/);
    expect(redgreen("runs", empty, "--json").stdout).toBe("[]\n");
  });

  it("reports an unknown workflow id in an existing database", () => {
    const project = mkdtempSync(join(tmpdir(), "redgreen-runs-"));
    try {
      // A green run creates the database; then an unknown id is a clear not-found.
      const ok = redgreen(
        "test",
        join(testDir, "fixtures", "pytest", "passing"),
        "--db",
        join(project, "r.db"),
        "--python",
        testPython,
        "-q",
      );
      expect(ok.status).toBe(0);
      const r = redgreen("report", "0000", project, "--db", join(project, "r.db"));
      expect(r.stderr).toMatch(/^redgreen: no workflow 0000 in .*r\.db\n$/);
      expect(r.status).toBe(2);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
