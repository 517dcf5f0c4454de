// Live progress of a JS run: the JSON lines the bundled runner reporter appends, turned into progress and the error texts the JSON report
// lacks.
import type { RunProgress } from "../adapter.js";

/** An error as the live reporter recorded it. */
export interface ReporterError {
  name?: string;
  message?: string;
  stack?: string;
}

/** One line the bundled reporters write. */
export type ReporterEvent =
  | { e: "start"; file: string }
  | { e: "collected"; file: string; count: number; tests?: string[][] }
  | { e: "begin"; file: string; titles: string[] }
  | { e: "test"; file: string; titles: string[]; state: string; errors?: ReporterError[] }
  | { e: "module"; file: string; errors?: ReporterError[] }
  /** Captured console output of a test (titles), or of a whole file (no titles: jest buffers it per file). */
  | { e: "console"; file: string; titles?: string[]; text: string };

/** Captured console output kept per test or file. */
const CONSOLE_MAX = 16_000;

/** An error's text as "Name: message" followed by the "at" lines of its stack. */
export function reporterErrorText(err: ReporterError): string {
  const name = err.name || "Error";
  const atLines = (err.stack ?? "").split("\n").filter((l) => /^\s*at /.test(l));
  return [`${name}: ${err.message ?? ""}`.trimEnd(), ...atLines].join("\n");
}

const key = (file: string, titles: string[] | null): string => `${file}\0${titles === null ? "" : titles.join("\0")}`;

/** Accumulates reporter events into RunProgress and the errors per test and per file. */
export class ReporterLog {
  private readonly collected = new Map<string, number>();
  private readonly donePerFile = new Map<string, number>();
  private done = 0;
  private failed = 0;
  private seen = false;
  private lastNodeId: string | undefined;
  private readonly errors = new Map<string, string[]>();
  /** Captured console output per test or file, by key. */
  private readonly consoleOut = new Map<string, string>();
  /** Tests that began and have not finished, by key, with their file and titles. */
  private readonly open = new Map<string, { file: string; titles: string[] }>();
  /** Files the runner started and has not finished (a "collected" event ends a file). */
  private readonly startedFiles = new Set<string>();
  /** Node ids of the tests that passed, in the order they finished. */
  private readonly passedIds: string[] = [];
  /** Per file whose tests were listed at collection, its unfinished tests in run order, by key. */
  private readonly pending = new Map<string, Map<string, string[]>>();
  private rest = "";

  constructor(
    private readonly nodeIdOf: (file: string, titles: string[]) => string,
    /** Whether a test belongs to the run (name filters make runners report the others as skipped). */
    private readonly keep: (file: string, titles: string[]) => boolean = () => true,
  ) {}

  /** Feeds a chunk of the JSONL file (may end mid-line). */
  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split("\n");
    this.rest = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      try {
        this.apply(JSON.parse(line) as ReporterEvent);
      } catch {
        /* a torn or foreign line: progress is best effort, the JSON report is the record */
      }
    }
  }

  private apply(ev: ReporterEvent): void {
    this.seen = true;
    if (ev.e === "start") {
      this.startedFiles.add(ev.file);
    } else if (ev.e === "begin") {
      this.open.set(key(ev.file, ev.titles), { file: ev.file, titles: ev.titles });
    } else if (ev.e === "collected") {
      this.startedFiles.delete(ev.file);
      if (ev.tests) this.pending.set(ev.file, new Map(ev.tests.map((t) => [key(ev.file, t), t])));
      // Under a name filter the file's count includes tests that will not run: count those that finish.
      if (this.keep(ev.file, [])) this.collected.set(ev.file, ev.count);
    } else if (ev.e === "test") {
      this.open.delete(key(ev.file, ev.titles));
      this.pending.get(ev.file)?.delete(key(ev.file, ev.titles));
      if (!this.keep(ev.file, ev.titles)) return;
      this.done++;
      this.donePerFile.set(ev.file, (this.donePerFile.get(ev.file) ?? 0) + 1);
      if (ev.state === "failed") this.failed++;
      if (ev.state === "passed") this.passedIds.push(this.nodeIdOf(ev.file, ev.titles));
      this.lastNodeId = this.nodeIdOf(ev.file, ev.titles);
      if (ev.errors && ev.errors.length > 0) this.errors.set(key(ev.file, ev.titles), ev.errors.map(reporterErrorText));
    } else if (ev.e === "module" && ev.errors && ev.errors.length > 0) {
      this.errors.set(key(ev.file, null), ev.errors.map(reporterErrorText));
    } else if (ev.e === "console" && typeof ev.text === "string") {
      const k = key(ev.file, ev.titles ?? null);
      const before = this.consoleOut.get(k);
      if ((before?.length ?? 0) < CONSOLE_MAX)
        this.consoleOut.set(k, (before === undefined ? ev.text : `${before}\n${ev.text}`).slice(0, CONSOLE_MAX));
    }
  }

  /**
   * Tests under way (absolute file, titles): those that began and did not finish, and the first unfinished test of every collected file.
   */
  running(): { file: string; titles: string[] }[] {
    const out = new Map(this.open);
    for (const [file, tests] of this.pending) {
      const first = tests.entries().next();
      if (!first.done) out.set(first.value[0], { file, titles: first.value[1] });
    }
    return [...out.values()];
  }

  /** Where a runner that died was: the tests under way, else the files it had started and not finished (titles []). */
  underWay(): { file: string; titles: string[] }[] {
    const tests = this.running();
    return tests.length > 0 ? tests : [...this.startedFiles].map((file) => ({ file, titles: [] }));
  }

  /** Node ids of the tests reported passed so far (kept by the run's selection). */
  passed(): string[] {
    return [...this.passedIds];
  }

  /** Progress so far; null when nothing arrived yet. */
  progress(): RunProgress | null {
    if (!this.seen) return null;
    let collected = 0;
    const files = new Set([...this.collected.keys(), ...this.donePerFile.keys()]);
    for (const f of files) collected += Math.max(this.collected.get(f) ?? 0, this.donePerFile.get(f) ?? 0);
    const p: RunProgress = { collected, done: this.done, failed: this.failed };
    if (this.lastNodeId !== undefined) p.lastNodeId = this.lastNodeId;
    return p;
  }

  /** The console output a test printed, else its file's (jest buffers console calls per file), if any. */
  consoleText(file: string, titles: string[]): string | undefined {
    return this.consoleOut.get(key(file, titles)) ?? this.consoleOut.get(key(file, null));
  }

  /** The error texts the reporter saw for a test (titles) or a file (null), if any. */
  errorTexts(file: string, titles: string[] | null): string[] | undefined {
    return this.errors.get(key(file, titles));
  }
}
