// Edit scope on real files: fixes may change only project source files (not VCS, dependency, virtualenv, tool, build or git-ignored files).
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFix, previewEdits } from "../../src/fixers/check-fix.js";
import { editScopeViolation, gitIgnored, pathScopeViolation } from "../../src/fixers/edit-scope.js";
import { isPytestTestPath } from "../../src/validation/test-paths.js";

const FILES: Record<string, string> = {
  "app/calc.py": "def add(a, b):\n    return a - b\n",
  "build/lib/app/calc.py": "def add(a, b):\n    return a - b\n",
  "src/build/steps.py": "STEPS = 1\n",
  ".git-like/notes.txt": "x = 1\n",
  ".git/config": "[core]\n\tbare = false\n",
  "node_modules/left-pad/index.js": "module.exports = (s) => s;\n",
  "env/pyvenv.cfg": "home = /usr/bin\n",
  "env/lib/python3.12/site-packages/requests/__init__.py": "x = 1\n",
  "tools/vendored/site-packages/six.py": "x = 1\n",
  ".redgreen/notes.py": "x = 1\n",
  "app/__pycache__/calc.cpython-312.pyc": "x = 1\n",
  "pkg.egg-info/PKG-INFO": "x = 1\n",
  "dist/app.js": "x = 1\n",
  "generated/schema.py": "x = 1\n",
  "app/local_settings.py": "DEBUG = True\n",
  ".gitignore": "generated/\nlocal_settings.py\n",
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "redgreen-scope-"));
  for (const [rel, text] of Object.entries(FILES)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  await symlink(join(root, "node_modules", "left-pad", "index.js"), join(root, "app", "pad.js"));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

const edit = (file: string) => ({ file, find: "x = 1", replace: "x = 2" });

describe("edit scope", () => {
  it.each([
    [".git/config", "scope.vcs"],
    ["node_modules/left-pad/index.js", "scope.dependencies"],
    ["env/lib/python3.12/site-packages/requests/__init__.py", "scope.virtualenv"],
    ["tools/vendored/site-packages/six.py", "scope.virtualenv"],
    [".redgreen/notes.py", "scope.tool_state"],
    ["app/__pycache__/calc.cpython-312.pyc", "scope.build_output"],
    ["pkg.egg-info/PKG-INFO", "scope.build_output"],
    ["dist/app.js", "scope.build_output"],
    ["build/lib/app/calc.py", "scope.build_output"],
  ])("names %s as outside the scope (%s)", (rel, rule) => {
    expect(pathScopeViolation(rel)).toMatchObject({ rule, file: rel, line: 0 });
  });

  it("keeps project sources in scope, also a nested folder named build and a name that only starts like .git", () => {
    for (const rel of ["app/calc.py", "src/build/steps.py", ".git-like/notes.txt", "tests/test_calc.py"])
      expect(pathScopeViolation(rel)).toBeNull();
  });

  it("finds a virtualenv by its pyvenv.cfg, whatever the folder is called", async () => {
    await mkdir(join(root, "env", "bin"), { recursive: true });
    await writeFile(join(root, "env", "bin", "activate_this.py"), "x = 1\n");
    const v = await editScopeViolation(root, [{ rel: "env/bin/activate_this.py", real: join(root, "env/bin/activate_this.py") }]);
    expect(v).toMatchObject({ rule: "scope.virtualenv", evidence: expect.stringContaining("env/") });
  });

  it("rejects the edit before anything is read or validated, with the rule in the reason and as a violation", async () => {
    const preview = await previewEdits(root, [
      edit("app/calc.py"),
      { file: ".git/config", find: "bare = false", replace: "fsmonitor = touch /tmp/pwned" },
    ]);
    expect(preview).toMatchObject({ ok: false, risk: "high", violation: { rule: "scope.vcs", file: ".git/config" } });
    const check = await checkFix([edit(".redgreen/notes.py")], {
      projectRoot: root,
      allowTestEdits: true,
      isTestFile: isPytestTestPath,
      allowRisky: true,
    });
    expect(check.valid).toBe(false);
    expect(check.reasons).toEqual([expect.stringMatching(/^scope\.tool_state: \.redgreen\/notes\.py is tool state .* \(line 0\)$/)]);
    expect(check.violations).toEqual([expect.objectContaining({ rule: "scope.tool_state", file: ".redgreen/notes.py" })]);
  });

  it("follows a symlink to where it points: a project file linked into node_modules is a dependency", async () => {
    const preview = await previewEdits(root, [{ file: "app/pad.js", find: "(s) => s", replace: "(s) => s + 1" }]);
    expect(preview).toMatchObject({ ok: false, violation: { rule: "scope.dependencies", file: "node_modules/left-pad/index.js" } });
  });

  it("outside a git work tree nothing counts as ignored, and edits to sources preview normally", async () => {
    expect(await gitIgnored(root, ["generated/schema.py"])).toEqual(new Set());
    expect(await previewEdits(root, [edit("generated/schema.py")])).toMatchObject({ ok: true });
  });

  describe("in a git repository", () => {
    beforeAll(() => {
      const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: root, stdio: "pipe" });
      // The test's own .git/config fixture file would make this a broken repository: replace it with a real one.
      execFileSync("rm", ["-rf", join(root, ".git")]);
      git("init", "-q");
      git("add", "app/calc.py", ".gitignore");
      git("commit", "-qm", "init");
    });

    it("rejects edits to git-ignored files (git check-ignore) and keeps tracked and untracked sources", async () => {
      expect(await gitIgnored(root, ["generated/schema.py", "app/local_settings.py", "app/calc.py", "src/build/steps.py"])).toEqual(
        new Set(["generated/schema.py", "app/local_settings.py"]),
      );
      const preview = await previewEdits(root, [edit("generated/schema.py")]);
      expect(preview).toMatchObject({ ok: false, violation: { rule: "scope.git_ignored", file: "generated/schema.py" } });
      expect(await previewEdits(root, [{ file: "app/calc.py", find: "a - b", replace: "a + b" }])).toMatchObject({ ok: true });
      expect(await previewEdits(root, [{ file: "src/build/steps.py", find: "STEPS = 1", replace: "STEPS = 2" }])).toMatchObject({
        ok: true,
      });
    });

    it("answers from a subfolder project inside the repository too", async () => {
      expect(await gitIgnored(join(root, "app"), ["local_settings.py", "calc.py"])).toEqual(new Set(["local_settings.py"]));
    });

    it(
      "does not count a project's own files as ignored when the " + "enclosing repository ignores the whole project (a copy in .demo/)",
      async () => {
        const project = join(root, "generated", "copy");
        await mkdir(join(project, "app"), { recursive: true });
        await writeFile(join(project, "app", "calc.py"), "def add(a, b):\n    return a - b\n");
        expect(await gitIgnored(project, ["app/calc.py"])).toEqual(new Set());
        expect(await previewEdits(project, [{ file: "app/calc.py", find: "a - b", replace: "a + b" }])).toMatchObject({ ok: true });
      },
    );
  });
});
