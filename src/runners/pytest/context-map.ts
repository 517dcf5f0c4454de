// ContextMap: the per-test coverage of the adapter's latest full run, kept in a folder the adapter owns.
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { OwnedDir } from "../owned-dir.js";
import { TestContexts } from "./test-contexts.js";

/** Why there is no map: never recorded, or the last full run could not record one. */
export const NO_MAP_YET = "no per-test coverage recorded yet";

/**
 * Holds the coverage.py data file of the last full run that recorded per-test contexts. A run's temp folder is deleted
 * after it; its data file is moved here, replacing the previous map. A full run that could not record one drops the
 * old map (it no longer describes the suite), saying why.
 */
export class ContextMap {
  private readonly folder = new OwnedDir("redgreen-contexts-");
  private current: TestContexts | null = null;
  private generation = 0;
  private missing = NO_MAP_YET;

  /** The map, or null with `whyMissing()` saying why. */
  map(): TestContexts | null {
    return this.current;
  }

  whyMissing(): string {
    return this.missing;
  }

  /** Takes over a run's data file (moved, not copied). */
  record(dataFile: string, projectRoot: string): void {
    this.drop(NO_MAP_YET);
    const target = join(this.folder.path(), `coverage-${++this.generation}.sqlite`);
    renameSync(dataFile, target);
    this.current = new TestContexts(target, projectRoot);
  }

  /** Forgets the map: a full run ran without recording one (the reason is what affected runs report). */
  drop(why: string): void {
    this.missing = why;
    if (this.current === null) return;
    this.current.close();
    rmSync(join(this.folder.path(), `coverage-${this.generation}.sqlite`), { force: true });
    this.current = null;
  }
}
