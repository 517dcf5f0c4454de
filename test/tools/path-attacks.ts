// Shared path attacks on the tools: a project with a symlink to an outside folder whose test leaves a mark when run.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

/** A folder outside the project: a test that writes `ran` when run, and a module whose one line is a secret. */
export interface Outside {
  dir: string;
  /** Created by the outside test if it ever runs. */
  marker: string;
  /** The outside file's only line: must never appear in a tool result. */
  secretLine: string;
  cleanup(): void;
}

/** The outside folder, linked into `project` as `linked/` (a symlinked directory pointing outside). */
export function outsideOf(project: string): Outside {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-outside-"));
  const marker = join(dir, "ran");
  writeFileSync(join(dir, "test_evil.py"), `def test_evil():\n    open(${JSON.stringify(marker)}, "w").write("ran")\n`);
  const secretLine = "OUTSIDE_SECRET_VALUE_7f3a9 = 'do-not-read'";
  writeFileSync(join(dir, "secret.py"), `${secretLine}\n`);
  mkdirSync(join(project, "tests"), { recursive: true });
  symlinkSync(dir, join(project, "linked"));
  return { dir, marker, secretLine, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The ways a test target can name the outside test: absolute, `../`, through the symlinked folder, node ids, an option. */
export const TARGET_KINDS = ["absolute", "dotdot", "symlinked", "nodeId", "symlinkedNodeId", "option"] as const;

/** Each TARGET_KINDS attack on `project`. */
export function runTargets(project: string, outside: Outside): Record<(typeof TARGET_KINDS)[number], string> {
  const evil = join(outside.dir, "test_evil.py");
  return {
    absolute: evil,
    dotdot: relative(project, evil),
    symlinked: "linked/test_evil.py",
    nodeId: `${relative(project, evil)}::test_evil`,
    symlinkedNodeId: "linked/test_evil.py::test_evil",
    option: "--rootdir=/",
  };
}

/** pytest output whose frames point at /etc/passwd and at the outside secret, with a NameError close to the secret's name. */
export function hostileOutput(project: string, outside: Outside): string {
  const secret = relative(project, join(outside.dir, "secret.py"));
  return [
    "=================================== FAILURES ===================================",
    "___ test_x ___",
    "",
    "../../../../etc/passwd:1: in test_x",
    `${secret}:1: in helper`,
    "E   NameError: name 'OUTSIDE_SECRET_VALUE_7f3a' is not defined",
    "___ test_y ___",
    "",
    "../../../../etc/passwd:1: in test_y",
    "E   NameError: name 'roo' is not defined",
    "=========================== short test summary info ============================",
    "FAILED tests/test_cart.py::test_x - NameError: name 'OUTSIDE_SECRET_VALUE_7f3a' is not defined",
    "FAILED ../../../../etc/passwd::test_y - NameError: name 'roo' is not defined",
    "============================== 2 failed in 0.01s ===============================",
  ].join("\n");
}

/** Lines of /etc/passwd and the outside secret that no tool result may contain (the passwd lines' user:x:uid parts). */
export function forbiddenContent(outside: Outside): string[] {
  const passwd = existsSync("/etc/passwd")
    ? readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .filter((l) => l.includes(":"))
    : [];
  return [outside.secretLine, "OUTSIDE_SECRET_VALUE_7f3a9", "do-not-read", ...passwd.map((l) => l.split(":").slice(0, 3).join(":"))];
}
