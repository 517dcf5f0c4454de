// The CLI on vitest/jest projects: runner detection and --runner, a patterns-only run, and one-line errors.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyJsProject, exampleTsShop } from "../helpers/project-copy.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const shop = exampleTsShop;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function shopCopy(): string {
  const copy = copyJsProject(shop);
  cleanups.push(copy.cleanup);
  return copy.root;
}

describe("redgreen on TypeScript projects", () => {
  it("detects vitest, fixes what the patterns can and says why the LLM step is skipped", async () => {
    const root = shopCopy();
    const r = await runCli(["run", root, "--json"], {
      env: { REDGREEN_MODEL: undefined, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined },
    });
    expectNoStackTrace(r.stderr);
    expect(r.exitCode).toBe(1);
    const summary = JSON.parse(r.stdout) as {
      status: string;
      reason: string;
      final: { passed: number; failed: number };
      fixes: { status: string; file: string }[];
    };
    expect(summary.status).toBe("stuck");
    expect(summary.reason).toContain("LLM step skipped: no model configured");
    expect(summary.final).toMatchObject({ passed: 7, failed: 2 });
    expect(
      summary.fixes
        .filter((f) => f.status === "kept")
        .map((f) => f.file)
        .sort(),
    ).toEqual(["src/cart.ts", "src/orders.ts", "src/users.ts"]);
    expect(readFileSync(join(root, "src", "discount.ts"))).toEqual(readFileSync(join(shop, "src", "discount.ts")));
  }, 180_000);

  it("runs jest when asked with --runner, with the same results as vitest", async () => {
    const root = shopCopy();
    const [jest, vitest] = await Promise.all([
      runCli(["test", root, "--runner", "jest", "--json", "--no-coverage", "--db", join(root, "jest.db")]),
      runCli(["test", root, "--json", "--no-coverage", "--db", join(root, "vitest.db")]),
    ]);
    expect(jest.exitCode).toBe(1);
    expect(vitest.exitCode).toBe(1);
    const a = JSON.parse(jest.stdout) as {
      command: string[];
      passedNodeIds: string[];
      failures: { nodeId: string; errorType: string; lineNumber: number }[];
    };
    const b = JSON.parse(vitest.stdout) as typeof a;
    expect(a.command.join(" ")).toContain("jest");
    expect(b.command.join(" ")).toContain("vitest");
    expect([...a.passedNodeIds].sort()).toEqual([...b.passedNodeIds].sort());
    const key = (r: typeof a): string[] => r.failures.map((f) => `${f.nodeId} ${f.lineNumber}`).sort();
    expect(key(a)).toEqual(key(b));
  }, 120_000);

  it("rejects an unknown --runner and a project whose runner is not installed, in one line each", async () => {
    const root = shopCopy();
    const bad = await runCli(["test", root, "--runner", "mocha"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim()).toBe("redgreen: --runner must be one of pytest, vitest, jest, got 'mocha'");

    const bare = mkdtempSync(join(tmpdir(), "redgreen-no-modules-"));
    cleanups.push(() => rmSync(bare, { recursive: true, force: true }));
    cpSync(shop, join(bare, "shop"), { recursive: true, filter: (src) => !src.endsWith("node_modules") });
    const missing = await runCli(["run", join(bare, "shop"), "--no-llm"]);
    expect(missing.exitCode).toBe(2);
    expectNoStackTrace(missing.stderr);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain(`vitest is not installed in ${join(bare, "shop")}: run npm install`);
  }, 60_000);
});
