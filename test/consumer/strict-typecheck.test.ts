// A TypeScript consumer of the packed package: `npm pack`, install it with only redgreen's production dependency closure
// (no @types/better-sqlite3), then `tsc --strict --noEmit` with skipLibCheck off over a file using the public API.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import { consumerTsc, installPackedRedgreen } from "../helpers/packed-consumer.js";
import { fixturePath } from "../helpers/python-env.js";

const work = mkdtempSync(join(tmpdir(), "redgreen-consumer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the published package in a strict TypeScript consumer", () => {
  it("typechecks with only the production dependencies installed, and its types never name better-sqlite3", async () => {
    const consumer = join(work, "consumer");
    cpSync(fixturePath("consumer"), consumer, { recursive: true });
    const linked = await installPackedRedgreen(consumer, work);
    expect(linked).toContain("better-sqlite3");
    expect(linked).not.toContain("@types/better-sqlite3");
    expect(linked).not.toContain("vitest");

    const dist = join(consumer, "node_modules", "redgreen", "dist");
    const declarations = readdirSync(dist, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".d.ts"))
      .filter((f) => /from "better-sqlite3"|langgraph-checkpoint-sqlite/.test(readFileSync(join(dist, f), "utf8")));
    expect(declarations).toEqual([]);

    const args = [consumerTsc(consumer), "-p", ".", "--strict", "--noEmit", "--skipLibCheck", "false", "--listFiles"];
    const r = await runProcess(process.execPath, args, { cwd: consumer, timeoutMs: 170_000 });
    const errors = r.stdout.split("\n").filter((l) => l.includes("error TS"));
    expect(errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    // The check covered the store's and the workflow's published types, not just the entry point.
    for (const file of ["src/store/store.d.ts", "graph/checkpointer.d.ts", "graph/toolkit.d.ts", "src/domain/failure.d.ts"]) {
      expect(r.stdout).toContain(join(dist, file));
    }
  }, 180_000);
});
