// createProjectServices: the default ProjectServices — the pytest adapter and a PythonHelper per project, made once.
import { resolve } from "node:path";
import { RedgreenError } from "../src/domain/errors.js";
import { PythonHelper } from "../src/python/client.js";
import type { PythonCaller } from "../src/python/client.js";
import { resolvePython } from "../src/python/interpreter.js";
import { createPytestAdapter } from "../src/runners/pytest/adapter.js";
import type { TestRunnerAdapter } from "../src/runners/adapter.js";
import type { ProjectServices } from "./deps.js";

/** A helper the services can stop at the end. */
export type ClosableHelper = PythonCaller & { close(): Promise<void> };

export interface ProjectServicesOptions {
  /** Interpreter for every project (`--python`); default: each project's .venv/venv, else python3 on PATH. */
  python?: string;
  /** Per-test timeout in seconds for the default adapter (default 10). */
  testTimeoutSeconds?: number;
  /** Hard limit for one whole run in seconds for the default adapter (default 900). */
  runTimeoutSeconds?: number;
  /** Builds the adapter for a project; the pytest adapter by default. */
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
      createPytestAdapter({
        projectRoot,
        ...(options.python !== undefined ? { python: options.python } : {}),
        ...(options.testTimeoutSeconds !== undefined ? { testTimeoutSeconds: options.testTimeoutSeconds } : {}),
        ...(options.runTimeoutSeconds !== undefined ? { runTimeoutSeconds: options.runTimeoutSeconds } : {}),
      }));
  const startHelper =
    options.startHelper ??
    (async (projectRoot: string): Promise<ClosableHelper> => {
      const python = await resolvePython({ projectRoot, ...(options.python !== undefined ? { python: options.python } : {}) });
      return PythonHelper.start({ python, projectRoot });
    });
  const adapters = lazyPerProject(createAdapter);
  const helpers = lazyPerProject(startHelper);
  let closed = false;
  return {
    adapter: (root) => adapters.get(root),
    helper(root) {
      if (closed) return Promise.reject(new RedgreenError("internal", "the project services are closed"));
      return helpers.get(root);
    },
    async close() {
      closed = true;
      const started = await Promise.allSettled(helpers.values());
      await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.close() : undefined)));
    },
  };
}
