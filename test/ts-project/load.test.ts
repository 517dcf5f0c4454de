// loadTypeScript: the typescript module required (with V8's code cache), which costs far less memory than import() of it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadTypeScript } from "../../src/ts-project/load.js";

const builtLoad = fileURLToPath(new URL("../../dist/src/ts-project/load.js", import.meta.url));

/** A fresh node process loads typescript one way; the RSS it grew by (after a GC) and the version it got. */
function measure(how: "loadTypeScript" | "import"): { rssMb: number; version: string } {
  const load =
    how === "import" ? `(await import("typescript")).default` : `await (await import(${JSON.stringify(builtLoad)})).loadTypeScript()`;
  const script = `const before = process.memoryUsage().rss; const ts = ${load}; globalThis.gc();
    console.log(JSON.stringify({ rssMb: (process.memoryUsage().rss - before) / 1048576, version: ts.version }));`;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    encoding: "utf8",
  });
  return JSON.parse(out) as { rssMb: number; version: string };
}

describe("loadTypeScript", () => {
  it("returns the typescript API, the same module on every call", async () => {
    const ts = await loadTypeScript();
    expect(typeof ts.createLanguageService).toBe("function");
    expect(ts.version).toMatch(/^\d+\.\d+\./);
    expect(await loadTypeScript()).toBe(ts);
  });

  // The process that makes the code cache holds its script until it writes the cache at exit: about 59 MB then.
  it("costs at least 15 MB of RSS less than import('typescript') once its code cache is made (measured: about 40 against 67-80 MB)", () => {
    if (!existsSync(builtLoad)) throw new Error("the CLI is not built: run `npm run build`");
    measure("loadTypeScript");
    const required = measure("loadTypeScript");
    const imported = measure("import");
    expect(required.version).toBe(imported.version);
    expect(required.rssMb, JSON.stringify({ required, imported })).toBeLessThan(imported.rssMb - 15);
  }, 60_000);
});
