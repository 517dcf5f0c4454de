// slowTests: the tests and test files over the per-test and per-file duration targets, for every runner.
import type { SlowTest } from "../domain/index.js";
import { splitNodeId } from "../domain/node-id.js";

/** A test slower than this is reported in slowTests (not failed). */
export const SLOW_TEST_SECONDS = 5;
/** A test file whose tests take longer than this in total is reported in slowTests. */
export const SLOW_FILE_SECONDS = 30;

/** Tests over the per-test target and files over the per-file target, slowest first (node ids are `file::name`). */
export function slowTests(durations: Map<string, number>): SlowTest[] {
  const out: SlowTest[] = [];
  const perFile = new Map<string, number>();
  for (const [nodeId, seconds] of durations) {
    if (seconds > SLOW_TEST_SECONDS) out.push({ nodeId, durationSeconds: seconds, kind: "test" });
    const file = splitNodeId(nodeId).testFile;
    perFile.set(file, (perFile.get(file) ?? 0) + seconds);
  }
  for (const [file, seconds] of perFile) {
    if (seconds > SLOW_FILE_SECONDS) out.push({ nodeId: file, durationSeconds: seconds, kind: "file" });
  }
  return out.sort((a, b) => b.durationSeconds - a.durationSeconds);
}
