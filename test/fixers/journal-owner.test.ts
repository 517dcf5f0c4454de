// Journal entries belong to their process: recovery leaves a pending fix of another live process alone, and
// restores it once that process is gone.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recoverPending } from "../../src/fixers/journal.js";
import { createEditJournal } from "../../src/store/edit-journal.js";
import { openStore } from "../../src/store/index.js";

const writer = fileURLToPath(new URL("./journal-writer.mjs", import.meta.url));
const built = fileURLToPath(new URL("../../dist/src/fixers/journal.js", import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "redgreen-journal-owner-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("recoverPending and the entries of other processes", () => {
  it("ignores a pending fix another live process is in the middle of, and recovers it after that process died", async () => {
    expect(existsSync(built), "run `npm run build` first (npm test does)").toBe(true);
    const root = join(dir, "project");
    mkdirSync(root);
    writeFileSync(join(root, "app.py"), "x = 1\n");
    const db = join(dir, "redgreen.db");
    const child = spawn(process.execPath, [writer, db, root, "wf-shared"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    await new Promise<void>((ready, fail) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("pending\n")) ready();
      });
      child.on("exit", (code) => fail(new Error(`the writer exited early (${code}): ${err}`)));
    });
    const exited = new Promise<void>((done) => child.on("exit", () => done()));

    const store = openStore(db);
    try {
      const journal = createEditJournal(store.db, () => new Date().toISOString());
      const [entry] = journal.list("wf-shared", "pending");
      expect(entry).toMatchObject({ file: "app.py", ownerPid: child.pid, state: "pending" });

      // The same workflow's recovery in this process: the writer still runs, so its fix is not a crash.
      expect(await recoverPending(journal, "wf-shared", root)).toEqual([]);
      expect(readFileSync(join(root, "app.py"), "utf8")).toBe("x = 2\n");
      expect(journal.list("wf-shared", "pending")).toHaveLength(1);

      child.kill("SIGKILL");
      await exited;
      expect(await recoverPending(journal, "wf-shared", root)).toEqual(["app.py"]);
      expect(readFileSync(join(root, "app.py"), "utf8")).toBe("x = 1\n");
      expect(journal.list("wf-shared").map((e) => e.state)).toEqual(["interrupted"]);
    } finally {
      store.close();
    }
  }, 60_000);
});
