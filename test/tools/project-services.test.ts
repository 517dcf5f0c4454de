// createProjectServices: one adapter and one helper per project, made on first use, reused, closed at the end.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PythonHelper } from "../../src/python/client.js";
import { createProjectServices } from "../../tools/index.js";
import { projectLanguageDeps } from "../../tools/project-services.js";
import type { ClosableHelper } from "../../tools/index.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { copyToolsFixture } from "./helpers.js";

const project = copyToolsFixture("notes");
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("createProjectServices", () => {
  it("starts one helper per project however it is asked for, and stops it on close", async () => {
    const started: ClosableHelper[] = [];
    const services = createProjectServices({
      python: testPython,
      startHelper: async (root) => {
        const h = await PythonHelper.start({ python: testPython, projectRoot: root });
        started.push(h);
        return h;
      },
    });
    const [a, b, c] = await Promise.all([
      services.helper(project),
      services.helper(join(project, ".")),
      services.helper(`${project}/notes/..`),
    ]);
    expect(started).toHaveLength(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(await a.call<{ projectRoot: string }>("version", {})).toMatchObject({ projectRoot: project });
    const adapter = await services.adapter(project);
    expect(await services.adapter(project)).toBe(adapter);
    expect(adapter.isTestFile("tests/test_text.py")).toBe(true);

    await services.close();
    await expect(a.call("version", {})).rejects.toThrow();
    await expect(services.helper(project)).rejects.toThrow(/closed/);
  });

  it("forgets a failed start so the next call tries again", async () => {
    let attempts = 0;
    const services = createProjectServices({
      startHelper: async (root) => {
        attempts++;
        if (attempts === 1) throw new Error("interpreter not ready");
        return PythonHelper.start({ python: testPython, projectRoot: root });
      },
    });
    await expect(services.helper(project)).rejects.toThrow("interpreter not ready");
    await expect(services.helper(project)).resolves.toBeDefined();
    expect(attempts).toBe(2);
    await services.close();
  });

  it("reports a missing interpreter as python_missing", async () => {
    const services = createProjectServices({ python: join(project, "no-python") });
    await expect(services.helper(project)).rejects.toMatchObject({ code: "python_missing" });
    await expect(services.adapter(project)).rejects.toMatchObject({ code: "python_missing" });
    await services.close();
  });

  it("a vitest project's deps start no Python helper until something calls it, and refuse calls once closed", async () => {
    const root = fixturePath("ts-patterns", "spelling");
    let starts = 0;
    const services = createProjectServices({
      runner: "vitest",
      startHelper: async (projectRoot) => {
        starts++;
        return PythonHelper.start({ python: testPython, projectRoot });
      },
    });
    const deps = await projectLanguageDeps(services, root);
    expect(deps.adapter.name).toBe("vitest");
    expect(deps.typescript).toBeDefined();
    expect(starts).toBe(0);
    expect(await deps.helper.call<{ projectRoot: string }>("version", {})).toMatchObject({ projectRoot: root });
    await deps.helper.call("ping", {});
    expect(starts).toBe(1);
    await services.close();
    await expect(deps.helper.call("ping", {})).rejects.toThrow(/closed/);
  });
});
