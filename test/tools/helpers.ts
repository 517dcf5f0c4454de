// Shared setup for the tool tests: fixture copies, a store with every migration, and real ToolDeps.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import { createProjectServices } from "../../tools/index.js";
import type { ProjectServices, ToolDeps } from "../../tools/index.js";
import { createGraphRunWorkflow } from "../../graph/tool-runner.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

/** A fresh copy of test/fixtures/tools/<name> in a temp dir (the tools edit files and write .redgreen/). */
export function copyToolsFixture(name: string): string {
  const dest = join(mkdtempSync(join(tmpdir(), `redgreen-tools-${name}-`)), name);
  cpSync(fixturePath("tools", name), dest, { recursive: true });
  return dest;
}

/** A real SQLite store in the project's .redgreen folder. */
export const openProjectStore = (project: string): Store => openStore(join(project, ".redgreen", "redgreen.db"));

/** ProjectServices on test/.venv's interpreter. */
export const testProjects = (): ProjectServices => createProjectServices({ python: testPython });

/** Real deps for a project: its store, pytest adapter and helper on test/.venv, and the workflow graph as runner. */
export function realDeps(project: string, extra: Partial<ToolDeps> = {}): ToolDeps {
  const store = extra.store ?? openProjectStore(project);
  const projects = extra.projects ?? testProjects();
  return {
    projectRoot: project,
    store,
    projects,
    runWorkflow: createGraphRunWorkflow({ store, projects, python: testPython }),
    ...extra,
  };
}
