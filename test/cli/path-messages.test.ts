// Bad paths on the command line: a file for a project, a directory for a database, a database nobody may write.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { copyFixture, expectOneErrorLine, runCli } from "./run-cli.js";

const base = mkdtempSync(join(tmpdir(), "redgreen-paths-"));
afterAll(() => {
  chmodSync(join(base, "ro"), 0o755);
  rmSync(base, { recursive: true, force: true });
});

describe("messages for paths of the wrong kind", () => {
  it("run, test and chat with a FILE as PATH say it is a file, not a project directory", async () => {
    const file = join(copyFixture("green"), "calc.py");
    for (const command of ["run", "test", "chat"]) {
      const r = await runCli([command, file]);
      expect(r.exitCode, command).toBe(2);
      expectOneErrorLine(r.stderr, new RegExp(`^redgreen: ${file.replace(/[.]/g, "\\.")} is a file, not a project directory$`));
    }
    const missing = await runCli(["run", join(base, "nope")]);
    expectOneErrorLine(missing.stderr, /^redgreen: no such directory: .*nope$/);
  });

  it("--db naming a directory says so (not whether its directory is writable)", async () => {
    const project = copyFixture("green");
    const dir = join(base, "db-dir");
    mkdirSync(dir);
    for (const args of [
      ["test", project, "--db", dir],
      ["runs", project, "--db", dir],
      ["run", project, "--db", dir],
    ]) {
      const r = await runCli(args);
      expect(r.exitCode, args[0]).toBe(2);
      expectOneErrorLine(r.stderr, new RegExp(`^redgreen: the database path ${dir} is a directory, not a database file$`));
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("runs reads a database it may not write (a 444 file in a 555 directory) and creates no -wal or -shm file", async () => {
    const ro = join(base, "ro");
    mkdirSync(ro);
    const db = join(ro, "redgreen.db");
    const store = openStore(db);
    const id = store.createWorkflow({ projectPath: "/p", maxIterations: 5, status: "passed" }).id;
    store.close();
    chmodSync(db, 0o444);
    chmodSync(ro, 0o555);
    chmodSync(base, 0o755);
    // Root ignores permission bits: as root, the CLI runs without CAP_DAC_OVERRIDE, so they hold for it too.
    const r = await runCli(["runs", "--db", db, "--json"], { obeyFileModes: process.getuid?.() === 0 });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string; status: string }[]).map((w) => [w.id, w.status])).toEqual([[id, "passed"]]);
    expect(readdirSync(ro)).toEqual(["redgreen.db"]);
    // As the owner with every capability (root too), a read-only command still writes nothing beside the file.
    const owner = await runCli(["runs", "--db", db]);
    expect(owner.exitCode).toBe(0);
    expect(owner.stdout).toContain(id);
    expect(readdirSync(ro)).toEqual(["redgreen.db"]);
    expect(existsSync(`${db}-wal`) || existsSync(`${db}-shm`)).toBe(false);
  });

  it("a read-only open of a database with pending migrations asks for a writing command", async () => {
    const db = join(base, "old.db");
    const store = openStore(db);
    store.db.exec("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)");
    store.close();
    const r = await runCli(["runs", "--db", db]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(
      r.stderr,
      /^redgreen: the database has schema version \d+ and needs \d+: a command that writes \(redgreen test or run\) upgrades it$/,
    );
  });
});
