// Generates big, seeded test suites (pytest or vitest) with one injected bug a pattern fixes: a deleted import.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./env.mjs";
import { seededRandom } from "./seeded-random.mjs";

const WORDS = [
  "alpha",
  "bravo",
  "cargo",
  "delta",
  "ember",
  "fjord",
  "grove",
  "harbor",
  "ivory",
  "jolly",
  "karma",
  "lunar",
  "maple",
  "noble",
];

/** The shared helpers, as both languages compute them (integers and ASCII only, so the expected values agree). */
const clamp = (n, lo, hi) => Math.min(Math.max(n, lo), hi);
const tag = (prefix, n) => `${prefix}:${n}`;
const checksum = (text) => [...text].reduce((acc, c, i) => (acc + (i + 1) * c.charCodeAt(0)) % 65521, 0);

/** Splits `tests` into test-file sizes drawn from [min, max] (the last file takes the rest). */
function fileSizes(tests, { min, max }, rand) {
  const sizes = [];
  let left = tests;
  while (left > 0) {
    const n = Math.min(left, min + Math.floor(rand() * (max - min + 1)));
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

/**
 * One module's constants and its test cases. Every case calls the module's functions (some through the shared
 * helpers); exactly one per module calls `fingerprint`, the one function that uses the imported `checksum`.
 */
function moduleSpec(k, size, rand) {
  const a = 2 + Math.floor(rand() * 9);
  const b = Math.floor(rand() * 100);
  const m = { k, a, b, limit: 50 + Math.floor(rand() * 500), word: WORDS[k % WORDS.length] };
  const scale = (n) => n * m.a + m.b;
  const fingerprintAt = Math.floor(rand() * size);
  const cases = Array.from({ length: size }, (_, i) => {
    const n = Math.floor(rand() * 1000);
    if (i === fingerprintAt) {
      const text = `${m.word}-${n}`;
      return { kind: "fingerprint", i, call: `fingerprint("${text}")`, expected: checksum(text) % 997 };
    }
    switch (i % 5) {
      case 0:
        return { kind: "scale", i, call: `scale(${n})`, expected: scale(n) };
      case 1:
        return { kind: "bounded", i, call: `bounded(${n})`, expected: clamp(n * m.a, 0, m.limit) };
      case 2:
        return { kind: "label", i, call: `label(${n})`, expected: tag(m.word, n % 7) };
      case 3: {
        const xs = [n, n + 1, n + 2];
        return { kind: "total", i, call: `total([${xs.join(", ")}])`, expected: xs.reduce((s, x) => s + scale(x), 0) };
      }
      default:
        return { kind: "clamp", i, call: `clamp(${n}, 100, 900)`, expected: clamp(n, 100, 900) };
    }
  });
  return { ...m, cases };
}

const pad = (k) => String(k).padStart(3, "0");

/** The Python project: package app/ (shared, hashing, mod_NNN), tests/test_mod_NNN.py, conftest.py at the root. */
function writePython(dir, specs, buggy) {
  mkdirSync(join(dir, "app"), { recursive: true });
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "conftest.py"), "# Puts the project root on sys.path for the tests.\n");
  writeFileSync(join(dir, "pytest.ini"), "[pytest]\ntestpaths = tests\n");
  writeFileSync(join(dir, "app", "__init__.py"), '"""A generated application for redgreen\'s workflow-scale benchmark."""\n');
  writeFileSync(
    join(dir, "app", "shared.py"),
    '"""Helpers every module uses."""\n\n\ndef clamp(n, lo, hi):\n    return min(max(n, lo), hi)\n\n\n' +
      'def tag(prefix, n):\n    return f"{prefix}:{n}"\n',
  );
  writeFileSync(
    join(dir, "app", "hashing.py"),
    '"""A position-weighted checksum of ASCII text."""\n\n\ndef checksum(text):\n    acc = 0\n    for i, c in enumerate(text):\n' +
      "        acc = (acc + (i + 1) * ord(c)) % 65521\n    return acc\n",
  );
  for (const m of specs) {
    const name = `mod_${pad(m.k)}`;
    const hashImport = m.k === buggy ? "" : "from app.hashing import checksum\n";
    writeFileSync(
      join(dir, "app", `${name}.py`),
      `"""Module ${m.k}: scaling, bounds and labels for the ${m.word} records."""\n${hashImport}from app.shared import clamp, tag\n\n` +
        `FACTOR = ${m.a}\nOFFSET = ${m.b}\nLIMIT = ${m.limit}\n\n\n` +
        "def scale(n):\n    return n * FACTOR + OFFSET\n\n\n" +
        "def bounded(n):\n    return clamp(n * FACTOR, 0, LIMIT)\n\n\n" +
        `def label(n):\n    return tag("${m.word}", n % 7)\n\n\n` +
        "def total(xs):\n    return sum(scale(x) for x in xs)\n\n\n" +
        "def fingerprint(text):\n    return checksum(text) % 997\n",
    );
    const py = (c) => `def test_${c.kind}_${c.i}():\n    assert ${c.call} == ${JSON.stringify(c.expected)}\n`;
    writeFileSync(
      join(dir, "tests", `test_${name}.py`),
      `from app.${name} import bounded, fingerprint, label, scale, total\nfrom app.shared import clamp\n\n\n` +
        m.cases.map(py).join("\n\n"),
    );
  }
  return `app/mod_${pad(buggy)}.py`;
}

/** The `@types` packages npm installs with `name`: those in its dependency closure, read from the repository's lock file. */
function typesInstalledWith(name) {
  const packages = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")).packages;
  const seen = new Set();
  const todo = [name];
  while (todo.length > 0) {
    const next = todo.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...Object.keys(packages[`node_modules/${next}`]?.dependencies ?? {}));
  }
  return [...seen].filter((n) => n.startsWith("@types/"));
}

/**
 * The project's node_modules as `npm install` of its one devDependency (vitest) would leave it at the top: vitest, its
 * bin, and the `@types` packages vitest brings (TypeScript loads every visible `@types` package). The packages are
 * links into the repository's node_modules; vitest resolves its own dependencies from there. Linking the repository's
 * whole node_modules instead would show the project redgreen's own 50 `@types` packages (d3, babel, node, ...).
 */
function linkVitestModules(dir) {
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, ".bin"), { recursive: true });
  mkdirSync(join(modules, "@types"), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules", "vitest"), join(modules, "vitest"), "dir");
  symlinkSync(join("..", "vitest", "vitest.mjs"), join(modules, ".bin", "vitest"));
  for (const types of typesInstalledWith("vitest")) symlinkSync(join(repoRoot, "node_modules", types), join(modules, types), "dir");
}

/** The vitest project: src/ (shared, hash, modNNN), tests/modNNN.test.ts, node_modules as installing vitest makes it. */
function writeVitest(dir, specs, buggy) {
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "tests"), { recursive: true });
  linkVitestModules(dir);
  const pkg = {
    name: "workflow-scale-suite",
    private: true,
    type: "module",
    scripts: { test: "vitest run" },
    devDependencies: { vitest: "^4.1.0" },
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  // Vite's cache stays in the project: the packages in node_modules are the repository's own, shared with other work.
  writeFileSync(
    join(dir, "vitest.config.ts"),
    'import { defineConfig } from "vitest/config";\n\n' +
      'export default defineConfig({ cacheDir: ".vite-cache", test: { include: ["tests/**/*.test.ts"] } });\n',
  );
  const compilerOptions = { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true };
  const tsconfig = { compilerOptions, include: ["src", "tests"] };
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(
    join(dir, "src", "shared.ts"),
    "// Helpers every module uses.\n" +
      "export const clamp = (n: number, lo: number, hi: number): number => Math.min(Math.max(n, lo), hi);\n\n" +
      "export const tag = (prefix: string, n: number): string => `${prefix}:${n}`;\n",
  );
  writeFileSync(
    join(dir, "src", "hash.ts"),
    "// A position-weighted checksum of ASCII text.\nexport function checksum(text: string): number {\n  let acc = 0;\n" +
      "  for (let i = 0; i < text.length; i++) acc = (acc + (i + 1) * text.charCodeAt(i)) % 65521;\n  return acc;\n}\n",
  );
  for (const m of specs) {
    const name = `mod${pad(m.k)}`;
    const hashImport = m.k === buggy ? "" : 'import { checksum } from "./hash";\n';
    writeFileSync(
      join(dir, "src", `${name}.ts`),
      `// Module ${m.k}: scaling, bounds and labels for the ${m.word} records.\n${hashImport}import { clamp, tag } from "./shared";\n\n` +
        `const FACTOR = ${m.a};\nconst OFFSET = ${m.b};\nconst LIMIT = ${m.limit};\n\n` +
        "export const scale = (n: number): number => n * FACTOR + OFFSET;\n\n" +
        "export const bounded = (n: number): number => clamp(n * FACTOR, 0, LIMIT);\n\n" +
        `export const label = (n: number): string => tag("${m.word}", n % 7);\n\n` +
        "export const total = (xs: number[]): number => xs.reduce((s, x) => s + scale(x), 0);\n\n" +
        "export const fingerprint = (text: string): number => checksum(text) % 997;\n",
    );
    const ts = (c) => `  it("${c.kind} ${c.i}", () => {\n    expect(${c.call}).toBe(${JSON.stringify(c.expected)});\n  });\n`;
    writeFileSync(
      join(dir, "tests", `${name}.test.ts`),
      `import { describe, expect, it } from "vitest";\nimport { bounded, fingerprint, label, scale, total } from "../src/${name}";\n` +
        `import { clamp } from "../src/shared";\n\ndescribe("${name}", () => {\n${m.cases.map(ts).join("\n")}});\n`,
    );
  }
  return `src/mod${pad(buggy)}.ts`;
}

/**
 * Writes a suite of `tests` tests into `dir` (which must not exist yet or be empty): test files of `perFile.min` to
 * `perFile.max` tests, one source module each. The module picked by the seed lost its import of `checksum`, so its one
 * fingerprint test fails (NameError / ReferenceError) and every other test passes.
 */
export function generateScaleSuite(dir, { lang, tests, seed = 16, perFile = { min: 50, max: 200 } }) {
  if (!Number.isInteger(tests) || tests < 1) throw new Error(`tests must be a positive integer, got ${tests}`);
  if (lang !== "python" && lang !== "vitest") throw new Error(`lang must be python or vitest, got ${lang}`);
  const rand = seededRandom(seed);
  const specs = fileSizes(tests, perFile, rand).map((size, k) => moduleSpec(k, size, rand));
  const buggy = Math.floor(rand() * specs.length);
  mkdirSync(dir, { recursive: true });
  const bugFile = lang === "python" ? writePython(dir, specs, buggy) : writeVitest(dir, specs, buggy);
  const fingerprint = specs[buggy].cases.find((c) => c.kind === "fingerprint");
  const failing =
    lang === "python"
      ? `tests/test_mod_${pad(buggy)}.py::test_fingerprint_${fingerprint.i}`
      : `tests/mod${pad(buggy)}.test.ts > mod${pad(buggy)} > fingerprint ${fingerprint.i}`;
  return { tests, files: specs.length, bugFile, missingName: "checksum", failing };
}

/** The bare runner, as a user runs it in the project (`python` is the interpreter of the project's environment). */
export const bareCommand = (lang, project, python) =>
  lang === "python"
    ? { file: python, args: ["-m", "pytest", "-q"] }
    : { file: join(project, "node_modules", ".bin", "vitest"), args: ["run"] };

/** Whether a bare run (stdout, exit code; vitest with CI=1 NO_COLOR=1) reports exactly one failure among `tests`. */
export function bareSawOneFailure(lang, tests, r) {
  if (r.exitCode !== 1) return false;
  if (lang === "python") return new RegExp(`^1 failed, ${tests - 1} passed in `, "m").test(r.stdout);
  return new RegExp(`Tests\\s+1 failed \\| ${tests - 1} passed \\(${tests}\\)`).test(r.stdout);
}
