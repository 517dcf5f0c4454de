// `npm run demo`: runs redgreen on fresh copies of examples/shop (Python) and examples/ts-shop (TypeScript); the bundled examples stay red.
import { spawnSync } from "node:child_process";
import { cpSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureVenv } from "./ensure-venv.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let python;
try {
  python = ensureVenv({ venvDir: join(root, "test", ".venv"), requirementsFile: join(root, "test", "requirements.txt") });
} catch (e) {
  process.stderr.write(`demo: ${e.message}\n`);
  process.exit(2);
}

/** Copies examples/<name> to .demo/<name> and runs `redgreen run` on the copy; returns redgreen's exit code. */
function runExample(name, runArgs, { linkNodeModules = false } = {}) {
  const target = join(root, ".demo", name);
  rmSync(target, { recursive: true, force: true });
  cpSync(join(root, "examples", name), target, {
    recursive: true,
    filter: (p) => !/(__pycache__|\.pytest_cache|\.redgreen|node_modules)$/.test(p),
  });
  // The TypeScript example runs with the vitest, jest and babel redgreen itself installed.
  if (linkNodeModules) symlinkSync(join(root, "node_modules"), join(target, "node_modules"), "dir");
  process.stderr.write(`demo: running redgreen on a fresh copy of examples/${name} in ${target}\n\n`);
  const res = spawnSync(process.execPath, [join(root, "bin", "redgreen.js"), "run", target, ...runArgs, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  const code = res.status ?? 2;
  process.stderr.write(
    code === 0
      ? `\ndemo: examples/${name} is green.\n\n`
      : code === 1
        ? `\ndemo: redgreen kept what it could fix in examples/${name}; the rest needs a model (see above). Inspect the copy in ` +
          `.demo/${name}.\n\n`
        : `\ndemo: redgreen could not run on examples/${name} (see the message above).\n\n`,
  );
  return code;
}

const codes = [runExample("shop", ["--python", python]), runExample("ts-shop", [], { linkNodeModules: true })];
process.exit(codes.some((c) => c > 1) ? 2 : 0);
