// requireWithCodeCache: a CommonJS module required as Node would, compiled from V8's code cache in node_modules/.cache
// once a process made it; a cache V8 turns down, or made under other flags, is made anew, and the module loads the same.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const codeCache = fileURLToPath(new URL("../../dist/src/ts-project/code-cache.js", import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A node_modules with package `big` (a CommonJS module that requires a builtin and a file beside it). */
function modules(): { root: string; file: string; cacheDir: string } {
  const root = mkdtempSync(join(tmpdir(), "redgreen-code-cache-"));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "node_modules", "big");
  mkdirSync(dir, { recursive: true });
  const body = Array.from({ length: 2000 }, (_, i) => `exports.f${i} = (x) => x * ${i} + helper.offset;`).join("\n");
  writeFileSync(join(dir, "helper.js"), "exports.offset = 7;\n");
  writeFileSync(
    join(dir, "index.js"),
    `"use strict";\nconst path = require("node:path");\nconst helper = require("./helper.js");\n${body}\n` +
      "exports.same = () => require(__filename) === module.exports;\nexports.where = path.basename(__dirname);\n",
  );
  return { root, file: join(dir, "index.js"), cacheDir: join(root, "node_modules", ".cache", "redgreen") };
}

/**
 * A fresh process requiring `file` through requireWithCodeCache twice (the second gets the first's instance): what the
 * module answers, and how its REDGREEN_TIMINGS line says the code cache went.
 */
function loadLine(file: string, flags: string[] = []): { out: string; how: string } {
  const script = `
    const { setFlagsFromString } = await import("node:v8");
    const flags = ${JSON.stringify(flags)};
    for (const f of flags) setFlagsFromString(f);
    globalThis[Symbol.for("redgreen.v8-flags")] = flags;
    const { requireWithCodeCache } = await import(${JSON.stringify(codeCache)});
    const m = requireWithCodeCache(${JSON.stringify(file)});
    const again = requireWithCodeCache(${JSON.stringify(file)});
    process.stdout.write(JSON.stringify([m.f3(2), m.f1999(1), m.same(), m.where, again === m]));`;
  const dir = mkdtempSync(join(tmpdir(), "redgreen-code-cache-err-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const err = join(dir, "err");
  const out = execFileSync("sh", ["-c", `"$0" --input-type=module -e "$1" 2>"$2"`, process.execPath, script, err], {
    env: { ...process.env, REDGREEN_TIMINGS: "1" },
    encoding: "utf8",
  });
  const how = /\(code cache: ([^)]*)\)/.exec(readFileSync(err, "utf8"))?.[1] ?? "no line";
  return { out, how };
}

const expected = JSON.stringify([13, 2006, true, "big", true]);

describe("requireWithCodeCache", () => {
  it("requires the module as Node would, makes the cache at exit, and the next process compiles from it", () => {
    const m = modules();
    expect(loadLine(m.file)).toEqual({ out: expected, how: "made at exit" });
    expect(readdirSync(m.cacheDir)).toEqual([expect.stringMatching(/^big\+index\.js-[0-9a-f]{16}\.v8$/)]);
    expect(loadLine(m.file)).toEqual({ out: expected, how: "used" });
  });

  it("never hands V8 a damaged cache (V8 would stop the process): it loads the module all the same and makes the cache anew", () => {
    const m = modules();
    expect(loadLine(m.file)).toEqual({ out: expected, how: "made at exit" });
    const [name] = readdirSync(m.cacheDir);
    const path = join(m.cacheDir, name!);
    const good = readFileSync(path);
    for (const damaged of [good.map((b, i) => (i > 64 && i % 7 === 0 ? b ^ 0xff : b)), good.subarray(0, good.length >> 1)]) {
      writeFileSync(path, Buffer.from(damaged));
      expect(loadLine(m.file)).toEqual({ out: expected, how: "made at exit" });
      expect(readFileSync(path).equals(Buffer.from(damaged))).toBe(false);
    }
    expect(loadLine(m.file)).toEqual({ out: expected, how: "used" });
  });

  it("makes the cache anew when V8 turns it down (made by another node: here, its version check fails)", () => {
    const m = modules();
    loadLine(m.file);
    const [name] = readdirSync(m.cacheDir);
    const path = join(m.cacheDir, name!);
    const data = readFileSync(path).subarray(32);
    // V8's own header holds its version hash first: another one is what a cache from another node looks like.
    const foreign = Buffer.from(data);
    foreign.writeUInt32LE((foreign.readUInt32LE(4) + 1) >>> 0, 4);
    writeFileSync(path, Buffer.concat([createHash("sha256").update(foreign).digest(), foreign]));
    expect(loadLine(m.file)).toEqual({ out: expected, how: "turned down by V8, made anew at exit" });
    expect(loadLine(m.file)).toEqual({ out: expected, how: "used" });
  });

  it("keeps one cache per set of V8 flags, and a changed module gets a cache of its own", () => {
    const m = modules();
    loadLine(m.file);
    expect(loadLine(m.file, ["--no-opt"])).toEqual({ out: expected, how: "made at exit" });
    expect(readdirSync(m.cacheDir)).toHaveLength(2);
    expect(loadLine(m.file)).toEqual({ out: expected, how: "used" });
    writeFileSync(m.file, `${readFileSync(m.file, "utf8")}exports.extra = 1;\n`);
    expect(loadLine(m.file)).toEqual({ out: expected, how: "made at exit" });
    expect(readdirSync(m.cacheDir)).toHaveLength(3);
  });

  it("loads without a cache where it cannot write one", () => {
    const m = modules();
    mkdirSync(join(m.root, "node_modules", ".cache"));
    writeFileSync(join(m.root, "node_modules", ".cache", "redgreen"), "a file where the folder would be\n");
    expect(loadLine(m.file)).toEqual({ out: expected, how: "made at exit" });
    expect(loadLine(m.file)).toEqual({ out: expected, how: "made at exit" });
  });
});
