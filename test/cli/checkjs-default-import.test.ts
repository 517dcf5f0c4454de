// A checkJs project (JSDoc types, vitest) lost a default import of its own module: `redgreen run --no-llm` restores it
// from that module (its default export is what TypeScript offers it for), not from the package typescript also offered.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyJsProject } from "../helpers/project-copy.js";
import { fixturePath } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe("a deleted default import in a checkJs file", () => {
  it("is restored from the project module whose default export TypeScript names so", async () => {
    const copy = copyJsProject(fixturePath("vitest", "checkjs-default-import"));
    cleanups.push(copy.cleanup);
    const file = join(copy.root, "src", "languages", "tsx", "index.js");
    const r = await runCli(["run", copy.root, "--no-llm", "--json", "--db", join(copy.root, "rg.db")]);
    expectNoStackTrace(r.stderr);
    const summary = JSON.parse(r.stdout) as { status: string; fixes: { file: string; strategy: string; status: string }[] };
    expect(summary.status).toBe("passed");
    expect(summary.fixes.filter((f) => f.status === "kept")).toMatchObject([
      { file: "src/languages/tsx/index.js", strategy: "add_import" },
    ]);
    expect(readFileSync(file, "utf8")).toContain('import { end } from "../end.js";\nimport ts from "../ts/index.js";\n');
    expect(readFileSync(file, "utf8")).not.toContain('from "typescript"');
  }, 180_000);
});
