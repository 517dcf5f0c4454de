// resolvePython: --python, then the project's virtualenv, then python3 on PATH.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../../src/domain/index.js";
import { resolvePython } from "../../../src/python/interpreter.js";
import { testPython } from "../../helpers/python-env.js";

const root = mkdtempSync(join(tmpdir(), "redgreen-python-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const project = (name: string): string => {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(RedgreenError);
    return (e as RedgreenError).code;
  }
};

describe("resolvePython", () => {
  it("uses --python when given", async () => {
    expect(await resolvePython({ projectRoot: project("given"), python: testPython })).toBe(testPython);
  });

  it("finds the project's .venv, then venv", async () => {
    const a = project("with-dot-venv");
    mkdirSync(join(a, ".venv", "bin"), { recursive: true });
    symlinkSync(testPython, join(a, ".venv", "bin", "python"));
    expect(await resolvePython({ projectRoot: a })).toBe(join(a, ".venv", "bin", "python"));
    const b = project("with-venv");
    mkdirSync(join(b, "venv", "bin"), { recursive: true });
    symlinkSync(testPython, join(b, "venv", "bin", "python"));
    expect(await resolvePython({ projectRoot: b })).toBe(join(b, "venv", "bin", "python"));
  });

  it("falls back to python3 on PATH", async () => {
    const found = await resolvePython({ projectRoot: project("plain") });
    expect(found).toMatch(/^\/.*python/);
  });

  it("says python_missing for an interpreter that does not run", async () => {
    expect(await codeOf(resolvePython({ projectRoot: project("missing"), python: join(root, "nope", "python") }))).toBe("python_missing");
    const broken = project("broken-venv");
    mkdirSync(join(broken, ".venv", "bin"), { recursive: true });
    writeFileSync(join(broken, ".venv", "bin", "python"), "#!/bin/sh\nexit 7\n");
    chmodSync(join(broken, ".venv", "bin", "python"), 0o755);
    const err = await resolvePython({ projectRoot: broken }).catch((e: unknown) => e);
    expect((err as RedgreenError).code).toBe("python_missing");
    expect((err as RedgreenError).message).toMatch(/virtualenv interpreter .* does not run: it exited with code 7/);
  });

  it("says python_missing for a venv whose interpreter link points at a Python that is gone, not python3 from PATH", async () => {
    const stale = project("stale-venv");
    mkdirSync(join(stale, ".venv", "bin"), { recursive: true });
    symlinkSync(join(root, "removed-base", "bin", "python3.10"), join(stale, ".venv", "bin", "python"));
    const err = await resolvePython({ projectRoot: stale }).catch((e: unknown) => e);
    expect((err as RedgreenError).code).toBe("python_missing");
    expect((err as RedgreenError).message).toMatch(/virtualenv interpreter .*\.venv\/bin\/python does not run/);
  });

  it("says python_missing when PATH has no python", async () => {
    const code = await codeOf(resolvePython({ projectRoot: project("no-path"), env: { PATH: join(root, "empty-bin") } }));
    expect(code).toBe("python_missing");
  });
});
