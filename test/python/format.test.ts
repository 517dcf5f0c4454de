// redgreen's own Python (helper, pytest plugin, their tests, bench scripts) is as ruff formats it, no line over 140 (ruff.toml).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testDir, venvDir } from "../helpers/python-env.js";
import { interpreters } from "./interpreters.js";

const ruff = (args: string[]) =>
  spawnSync(join(venvDir, "bin", "ruff"), args, { cwd: join(testDir, ".."), encoding: "utf8", timeout: 60_000 });

describe("redgreen's Python sources", () => {
  it("are formatted (`ruff format` would change nothing) and checked: more than 40 files, fixtures and examples left out", () => {
    const format = ruff(["format", "--check", "."]);
    const output = `${format.stdout}\n${format.stderr}`;
    expect(format.status, output).toBe(0);
    const formatted = Number(/(\d+) files? already formatted/.exec(output)?.[1] ?? 0);
    expect(formatted, output).toBeGreaterThan(40);
    // The projects redgreen is tested on keep their own bytes: none of their files was read.
    const listed = ruff(["check", "--show-files", "."]).stdout;
    expect(listed).toContain("redgreen_pytest_plugin.py");
    expect(listed).not.toMatch(/test\/fixtures\/|examples\//);
  });

  it("compile on the oldest Python the helper and the plugin support (3.8 when pyenv has it): the formatter's syntax too", () => {
    const listed = ruff(["check", "--show-files", "."])
      .stdout.split("\n")
      .filter((f) => f.endsWith(".py"));
    expect(listed.length).toBeGreaterThan(40);
    const [label, oldest] = interpreters[interpreters.length - 1]!;
    const compileAll =
      "import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding='utf-8').read(), f, 'exec')\nprint(len(sys.argv) - 1)";
    const run = spawnSync(oldest, ["-c", compileAll, ...listed], { encoding: "utf8", timeout: 60_000 });
    expect(run.status, `${label}: ${run.stderr}`).toBe(0);
    expect(run.stdout.trim()).toBe(String(listed.length));
  });

  it("have no line over 140 characters (E501, which the formatter cannot fix in strings and comments)", () => {
    const check = ruff(["check", "--select", "E501", "--output-format", "concise", "."]);
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
  });
});
