// An interpreter given as a file, or the project's own virtualenv one, is checked by the adapter's first run instead of a separate probe.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../../src/domain/index.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { testPython } from "../../helpers/python-env.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
const scratch = mkdtempSync(join(tmpdir(), "redgreen-interpreter-check-"));
afterAll(() => {
  copies.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const failureOf = async (run: () => Promise<unknown>): Promise<RedgreenError> => {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RedgreenError);
  return err as RedgreenError;
};

describe("pytest adapter: an interpreter given as a file", () => {
  it("runs with the path as given (a virtualenv symlink stays a symlink)", async () => {
    const link = join(scratch, "python-link");
    symlinkSync(testPython, link);
    const adapter = await createPytestAdapter({ projectRoot: copies.copy("passing"), python: link });
    expect((adapter as unknown as { python: string }).python).toBe(link);
    const r = await adapter.runTests();
    expect(r.status).toBe("passed");
    expect(r.command[0]).toBe(link);
  });

  it("says python_missing on the first run when the file exits with an error", async () => {
    const broken = join(scratch, "broken-python");
    writeFileSync(broken, "#!/bin/sh\necho 'cannot start' >&2\nexit 7\n");
    chmodSync(broken, 0o755);
    const adapter = await createPytestAdapter({ projectRoot: copies.copy("passing"), python: broken });
    const err = await failureOf(() => adapter.runTests());
    expect(err.code).toBe("python_missing");
    expect(err.message).toMatch(/The Python interpreter .*broken-python does not run: it exited with code 7 \(cannot start\)/);
  });

  it("says python_missing on the first run when the file cannot be executed", async () => {
    const notExecutable = join(scratch, "not-executable");
    writeFileSync(notExecutable, "print('hi')\n");
    chmodSync(notExecutable, 0o644);
    const adapter = await createPytestAdapter({ projectRoot: copies.copy("passing"), python: notExecutable });
    const err = await failureOf(() => adapter.runTests());
    expect(err.code).toBe("python_missing");
    expect(err.message).toMatch(/The Python interpreter .*not-executable does not run/);
  });

  it("still rejects a path that does not exist when the adapter is created", async () => {
    const err = await failureOf(() =>
      createPytestAdapter({ projectRoot: copies.copy("passing"), python: join(scratch, "missing", "python") }),
    );
    expect(err.code).toBe("python_missing");
  });
});

describe("pytest adapter: the project's virtualenv interpreter", () => {
  /** A copy of the passing fixture with `.venv/bin/python` written by `make`. */
  const withVenv = (make: (python: string) => void): { root: string; python: string } => {
    const root = copies.copy("passing");
    mkdirSync(join(root, ".venv", "bin"), { recursive: true });
    const python = join(root, ".venv", "bin", "python");
    make(python);
    return { root, python };
  };

  it("runs with it, found without starting it", async () => {
    const { root, python } = withVenv((p) => symlinkSync(testPython, p));
    const adapter = await createPytestAdapter({ projectRoot: root });
    expect((adapter as unknown as { python: string; pythonChecked: boolean }).pythonChecked).toBe(false);
    const r = await adapter.runTests();
    expect(r.status).toBe("passed");
    expect(r.command[0]).toBe(python);
  });

  it("says python_missing, naming the virtualenv, on the first run when its interpreter link points at a removed Python", async () => {
    const { root } = withVenv((p) => symlinkSync(join(scratch, "removed-base", "python3.10"), p));
    const adapter = await createPytestAdapter({ projectRoot: root });
    const err = await failureOf(() => adapter.runTests());
    expect(err.code).toBe("python_missing");
    expect(err.message).toMatch(/The project's virtualenv interpreter .*\.venv\/bin\/python does not run/);
  });

  it("says python_missing, naming the virtualenv, on the first run when it does not run", async () => {
    const { root } = withVenv((p) => {
      writeFileSync(p, "#!/bin/sh\necho 'venv is broken' >&2\nexit 5\n");
      chmodSync(p, 0o755);
    });
    const adapter = await createPytestAdapter({ projectRoot: root });
    const err = await failureOf(() => adapter.runTests());
    expect(err.code).toBe("python_missing");
    expect(err.message).toMatch(
      new RegExp(
        String.raw`The project's virtualenv interpreter .*\.venv/bin/python does not run: ` +
          String.raw`it exited with code 5 \(venv is broken\)\. Recreate the virtualenv`,
      ),
    );
  });
});
