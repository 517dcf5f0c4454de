// redgreen's live-progress reporter for vitest (4; console lines also from 2.1 and 3): appends one JSON line per collected file, started
// and finished test and failed file to $REDGREEN_PROGRESS,
// and one per console call a test made (vitest's JSON report drops them).
import { appendFileSync } from "node:fs";
import { join } from "node:path";

const out = process.env.REDGREEN_PROGRESS;
// ASCII only, so the reader can split the file at any byte.
const ascii = (value) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const write = (event) => {
  if (out) appendFileSync(out, `${ascii(event)}\n`);
};
const titlesOf = (testCase) => {
  const titles = [testCase.name];
  for (let p = testCase.parent; p && p.type === "suite"; p = p.parent) titles.unshift(p.name);
  return titles;
};
// Captured console output kept per call: its head, where a logged error's header and stack are.
const CONSOLE_MAX = 16000;
const errorsOf = (errors) => (errors ?? []).map((e) => ({ name: e.name, message: e.message, stack: e.stack }));

/**
 * Lets vitest order this run's files as the project's own runs do: failed last time first, then the longest. redgreen
 * runs vitest with --no-cache, so it never writes the project's results cache (it may sit in a node_modules shared with
 * other projects); without the cache vitest runs the largest files first, and a failure the user already saw could come
 * last. Here vitest's own reader loads the project's results file once, read-only: the cache keeps no path to write to.
 * Vitest versions without that reader (or a project that never ran) keep vitest's order without a cache.
 */
async function readProjectResults(vitest) {
  const results = vitest.cache?.results;
  const cacheDir = (vitest.vite ?? vitest.server)?.config?.cacheDir;
  if (!results || typeof results.readFromCache !== "function" || typeof cacheDir !== "string") return;
  if (results.cachePath !== null || !(results.cache instanceof Map) || results.cache.size > 0) return;
  results.cachePath = join(cacheDir, "results.json");
  try {
    await results.readFromCache();
  } catch {
    results.cache.clear();
  } finally {
    results.cachePath = null;
  }
}

export default class RedgreenProgressReporter {
  async onInit(vitest) {
    this.vitest = vitest;
    await readProjectResults(vitest);
  }

  /** The test or module a console call came from: vitest 4 looks it up by id; 2.1 and 3 by the task the id names. */
  entityOf(taskId) {
    const state = this.vitest?.state;
    if (!taskId || !state) return undefined;
    if (typeof state.getReportedEntityById === "function") return state.getReportedEntityById(taskId);
    const task = state.idMap?.get(taskId);
    return task && typeof state.getReportedEntity === "function" ? state.getReportedEntity(task) : undefined;
  }

  onUserConsoleLog(log) {
    const entity = this.entityOf(log.taskId);
    if (!entity || typeof log.content !== "string") return;
    const file = entity.type === "module" ? entity.moduleId : entity.module.moduleId;
    const titles = entity.type === "test" ? titlesOf(entity) : null;
    write({ e: "console", file, ...(titles ? { titles } : {}), text: log.content.slice(0, CONSOLE_MAX) });
  }

  onTestCaseReady(testCase) {
    write({ e: "begin", file: testCase.module.moduleId, titles: titlesOf(testCase) });
  }

  onTestModuleCollected(testModule) {
    // The titles in run order: the start of a test can reach the reporter too late (a busy worker never sends it).
    const tests = [...testModule.children.allTests()].map(titlesOf);
    write({ e: "collected", file: testModule.moduleId, count: tests.length, tests });
  }

  onTestCaseResult(testCase) {
    const result = testCase.result();
    write({ e: "test", file: testCase.module.moduleId, titles: titlesOf(testCase), state: result.state, errors: errorsOf(result.errors) });
  }

  onTestModuleEnd(testModule) {
    const errors = testModule.errors();
    if (errors.length > 0) write({ e: "module", file: testModule.moduleId, errors: errorsOf(errors) });
  }
}
