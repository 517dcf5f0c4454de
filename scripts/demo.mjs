// `npm run demo`: runs redgreen on a fresh copy of examples/shop (the bundled example stays red).
import { spawnSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
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
const target = join(root, ".demo", "shop");
rmSync(target, { recursive: true, force: true });
cpSync(join(root, "examples", "shop"), target, { recursive: true, filter: (p) => !/(__pycache__|\.pytest_cache|\.redgreen)$/.test(p) });
process.stderr.write(`demo: running redgreen on a fresh copy of examples/shop in ${target}\n\n`);
const res = spawnSync(process.execPath, [join(root, "bin", "redgreen.js"), "run", target, "--python", python, ...process.argv.slice(2)], {
  stdio: "inherit",
});
const code = res.status ?? 2;
process.stderr.write(
  code === 0
    ? "\ndemo: the example is green.\n"
    : code === 1
      ? "\ndemo: redgreen kept what it could fix; the rest needs a model (see above). Inspect the copy in .demo/shop.\n"
      : "\ndemo: redgreen could not run (see the message above).\n",
);
process.exit(code === 1 ? 0 : code);
