// createProjectServices: the default ProjectServices — the runner adapter, PythonHelper and TypeScript project per project, made once.
import { resolve } from "node:path";
import { RedgreenError } from "../src/domain/errors.js";
import { PythonHelper } from "../src/python/client.js";
import type { PythonCaller } from "../src/python/client.js";
import { resolvePython } from "../src/python/interpreter.js";
import { createRunnerAdapter } from "../src/runners/create-adapter.js";
import type { RunnerName, TestRunnerAdapter } from "../src/runners/adapter.js";
import { closeTsProject, createTsProject } from "../src/ts-project/project.js";
import type { TsProject } from "../src/ts-project/types.js";
import type { LanguageServices } from "../src/languages/services.js";
import type { ProjectServices } from "./deps.js";

/** A helper the services can stop at the end. */
export type ClosableHelper = PythonCaller & { close(): Promise<void> };

export interface ProjectServicesOptions {
  /** The runner for every project (`--runner`); default: detected per project. */
  runner?: RunnerName;
  /** Interpreter for every project (`--python`); default: each project's .venv/venv, else python3 on PATH. */
  python?: string;
  /** Per-test timeout in seconds for the default adapter (default 10). */
  testTimeoutSeconds?: number;
  /** Hard limit for one whole run in seconds for the default adapter (default 900). */
  runTimeoutSeconds?: number;
  /** Model credentials the default adapter's test process gets anyway (`--pass-env`); by default it gets none. */
  passEnv?: readonly string[] | undefined;
  /** Builds the adapter for a project; the --runner or detected runner's adapter by default. */
  createAdapter?: (projectRoot: string) => Promise<TestRunnerAdapter>;
  /** Starts the helper for a project; PythonHelper on the resolved interpreter by default. */
  startHelper?: (projectRoot: string) => Promise<ClosableHelper>;
}

/** Caches one promise per project; a failed creation is forgotten so the next call tries again. */
function lazyPerProject<T>(create: (root: string) => Promise<T>): { get(root: string): Promise<T>; values(): Promise<T>[] } {
  const cache = new Map<string, Promise<T>>();
  return {
    get(root) {
      const key = resolve(root);
      let hit = cache.get(key);
      if (!hit) {
        hit = create(key);
        cache.set(key, hit);
        hit.catch(() => {
          if (cache.get(key) === hit) cache.delete(key);
        });
      }
      return hit;
    },
    values: () => [...cache.values()],
  };
}

/** Builds ProjectServices: adapters and helpers are created lazily per project root and reused until close(). */
export function createProjectServices(options: ProjectServicesOptions = {}): ProjectServices {
  const createAdapter =
    options.createAdapter ??
    ((projectRoot: string) =>
      createRunnerAdapter({
        projectRoot,
        runner: options.runner,
        python: options.python,
        testTimeoutSeconds: options.testTimeoutSeconds,
        runTimeoutSeconds: options.runTimeoutSeconds,
        passEnv: options.passEnv,
      }));
  const startHelper =
    options.startHelper ??
    (async (projectRoot: string): Promise<ClosableHelper> => {
      const python = await resolvePython({ projectRoot, python: options.python });
      return PythonHelper.start({ python, projectRoot });
    });
  const adapters = lazyPerProject(createAdapter);
  const helpers = lazyPerProject(startHelper);
  const tsProjects = lazyPerProject(async (root): Promise<TsProject | undefined> => {
    const adapter = await adapters.get(root);
    return adapter.name === "pytest" ? undefined : createTsProject({ projectRoot: root, isTestFile: (rel) => adapter.isTestFile(rel) });
  });
  let closed = false;
  return {
    adapter: (root) => adapters.get(root),
    helper(root) {
      if (closed) return Promise.reject(new RedgreenError("internal", "the project services are closed"));
      return helpers.get(root);
    },
    typescript(root) {
      if (closed) return Promise.reject(new RedgreenError("internal", "the project services are closed"));
      return tsProjects.get(root);
    },
    async close() {
      closed = true;
      for (const project of await Promise.allSettled(tsProjects.values()))
        if (project.status === "fulfilled" && project.value) closeTsProject(project.value);
      for (const adapter of await Promise.allSettled(adapters.values())) if (adapter.status === "fulfilled") adapter.value.close?.();
      const started = await Promise.allSettled(helpers.values());
      await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.close() : undefined)));
    },
  };
}

/** What patterns and the validator use on one project: its adapter, and its language services (src/languages/services.ts). */
export interface ProjectLanguageDeps extends LanguageServices {
  adapter: TestRunnerAdapter;
}

/** The adapter with the language services its project needs; a JS project's Python helper starts only if something calls it. */
export async function projectLanguageDeps(projects: ProjectServices, projectRoot: string): Promise<ProjectLanguageDeps> {
  const adapter = await projects.adapter(projectRoot);
  if (adapter.name === "pytest") return { adapter, helper: await projects.helper(projectRoot) };
  const typescript = await projects.typescript(projectRoot);
  const helper: PythonCaller = { call: async (op, args, opts) => (await projects.helper(projectRoot)).call(op, args, opts) };
  return { adapter, helper, typescript };
}
