// Parser for the bundled pytest plugin's JSONL event stream: events → TestRunResult parts.
import type { Failure, FailurePhase, StackFrame } from "../domain/failure.js";
import { RunAnomalyKindSchema, zeroCounts, type RunAnomaly, type TestRunCounts } from "../domain/test-run.js";
import { splitNodeId } from "../domain/node-id.js";
import { pythonFailure, withFrameKinds } from "./pytest-frames.js";

/** The failure details the plugin attaches to a failed phase or collection. */
export interface PluginFailure {
  errorType?: string;
  errorMessage?: string;
  frames?: StackFrame[];
  hint?: string;
  chain?: { errorType: string; errorMessage: string }[];
  stackTrace?: string;
  capturedOutput?: string;
}

/** One line of the plugin's stream. */
export type PytestEvent =
  | {
      event: "start";
      pluginVersion: number;
      pytest: string;
      python: string;
      rootdir: string;
      pid: number;
      testTimeout: number;
      xdist: boolean;
    }
  | { event: "collected"; count: number; nodeids?: string[] }
  | { event: "collect"; nodeid: string; outcome: "failed" | "skipped"; failure?: PluginFailure; reason?: string }
  | {
      event: "phase";
      nodeid: string;
      when: "setup" | "call" | "teardown" | "???";
      outcome: "passed" | "failed" | "skipped";
      duration: number;
      wasxfail?: string;
      reason?: string;
      worker?: string;
      /** Set on a subtest's report (pytest 9's `subtests` fixture, pytest-subtests): its description, e.g. "[even] (i=1)". */
      subtest?: string;
      /** A subtest's category in pytest's summary ("failed", "skipped", "xfailed", or "" / "subtests passed": not counted). */
      category?: string;
      failure?: PluginFailure;
    }
  /** A test whose setup, call and teardown all passed (the plugin's one-line form of the common case). */
  | { event: "test"; nodeid: string; outcome: "passed"; duration: number }
  | { event: "finish"; exitstatus: number; duration: number }
  /** The plugin's integrity watch saw a test (or the run, nodeid null) reported otherwise than it ran. */
  | { event: "anomaly"; kind: string; nodeid: string | null; detail: string }
  /** Files that define the run's tests besides the collected modules, and pytest's python_files patterns. */
  | { event: "files"; testFiles: string[]; conftests: string[]; configFile: string | null; pythonFiles: string[] }
  /** What the run loaded from the import path (absolute): module files, their folders, import path folders, .pth files. */
  | { event: "loaded"; paths: string[] };

/** What a (possibly partial) event stream says about a run. */
export interface PytestRunParts extends TestRunCounts {
  failures: Failure[];
  /** Tests whose call passed and that had no setup/teardown error. */
  passedNodeIds: string[];
  /** Skipped tests and modules skipped at collection, in report order, each once (not xfails). */
  skippedNodeIds: string[];
  /** Per test: setup + call + teardown seconds. */
  testDurations: Map<string, number>;
  collected: number | null;
  /** Run order of the collected tests (non-xdist runs only). */
  collectedNodeIds: string[] | null;
  /** Tests whose teardown was reported (finished completely). */
  doneNodeIds: Set<string>;
  /** Per test, the phases reported so far. */
  phasesSeen: Map<string, Set<string>>;
  /** xdist worker id of each failed node, when the controller reported it. */
  workerOf: Map<string, string>;
  start: Extract<PytestEvent, { event: "start" }> | null;
  finish: Extract<PytestEvent, { event: "finish" }> | null;
  /** Lines that were not valid events (a torn last line after a kill, foreign output). */
  badLines: number;
  /** What the integrity watch reported; a test with an anomaly is counted failed, never passed. */
  anomalies: RunAnomaly[];
  /** Project-relative files that define the tests: collected modules (also from node ids), conftests, the config file. */
  testFiles: string[];
  /** pytest's python_files patterns, when the plugin reported them. */
  pythonFiles: string[] | null;
  /** Absolute paths of what the run loaded from the import path (its workers' too), when the plugin reported them. */
  loadedPaths: string[];
}

const PHASES: Record<string, FailurePhase> = { setup: "setup", call: "call", teardown: "teardown", "???": "call" };

const num = (v: unknown, fallback = 0): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);

function cleanFrames(raw: unknown): StackFrame[] {
  if (!Array.isArray(raw)) return [];
  const out: StackFrame[] = [];
  for (const f of raw as Record<string, unknown>[]) {
    if (!f || typeof f !== "object") continue;
    const frame: StackFrame = { file: str(f.file), line: Math.trunc(num(f.line)), function: str(f.function) };
    if (typeof f.code === "string" && f.code) frame.code = f.code;
    if (f.kind === "project" || f.kind === "test" || f.kind === "library" || f.kind === "stdlib") frame.kind = f.kind;
    out.push(frame);
  }
  return out;
}

/** Builds a domain Failure from a plugin failure record. */
export function failureFromPlugin(
  nodeId: string,
  phase: FailurePhase,
  duration: number,
  raw: PluginFailure | undefined,
  rootDir?: string,
): Failure {
  const p = raw ?? {};
  const frames = withFrameKinds(cleanFrames(p.frames), rootDir);
  const errorType = str(p.errorType) || "Error";
  const errorMessage = str(p.errorMessage);
  const failure = pythonFailure({
    nodeId,
    errorType,
    errorMessage,
    trace: str(p.stackTrace),
    frames,
    phase,
    durationSeconds: Math.max(0, duration),
  });
  if (typeof p.hint === "string" && p.hint) failure.hint = p.hint;
  if (typeof p.capturedOutput === "string" && p.capturedOutput) failure.capturedOutput = p.capturedOutput;
  if (Array.isArray(p.chain) && p.chain.length > 1) {
    failure.chain = p.chain.map((c) => ({ errorType: str(c?.errorType), errorMessage: str(c?.errorMessage) }));
  }
  return failure;
}

/** Consumes the plugin's stream chunk by chunk (live, while pytest runs) and sums it up. */
export class PytestJsonlAccumulator {
  private pending = "";
  private readonly counts = zeroCounts();
  private readonly failures: Failure[] = [];
  private readonly failedNodes = new Set<string>();
  private readonly passedCalls = new Set<string>();
  private readonly skippedNodes = new Set<string>();
  private readonly collectFailures = new Set<string>();
  private readonly durations = new Map<string, number>();
  private readonly done = new Set<string>();
  private readonly phasesSeen = new Map<string, Set<string>>();
  private readonly workerOf = new Map<string, string>();
  private collected: number | null = null;
  private collectedNodeIds: string[] | null = null;
  private start: Extract<PytestEvent, { event: "start" }> | null = null;
  private finish: Extract<PytestEvent, { event: "finish" }> | null = null;
  private badLines = 0;
  private lastNodeId: string | undefined;
  private readonly anomalies: RunAnomaly[] = [];
  private readonly definingFiles = new Set<string>();
  private readonly loaded = new Set<string>();
  private pythonFiles: string[] | null = null;
  /** Whether the current attempt reported its collection (tests run from then until its session finishes). */
  private attemptCollected = false;

  /** rootDir relativizes paths in frames that the plugin could not classify. */
  constructor(private readonly rootDir?: string) {}

  /** Feeds raw text; complete lines are parsed now, a trailing partial line waits for the next chunk. */
  push(text: string): void {
    const data = this.pending + text;
    const lines = data.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.addLine(line);
  }

  /** Parses the last line even without a newline (a killed writer may leave it torn; then it counts as bad). */
  end(): void {
    if (this.pending.trim()) this.addLine(this.pending);
    this.pending = "";
  }

  /** Starts a resumed run: its own session-finish event decides whether it finished. */
  beginAttempt(): void {
    this.pending = "";
    this.finish = null;
    this.attemptCollected = false;
  }

  /** Parses one line; returns false for a line that is not a plugin event. */
  addLine(line: string): boolean {
    const t = line.trim();
    if (!t) return true;
    let ev: unknown;
    try {
      ev = JSON.parse(t);
    } catch {
      this.badLines++;
      return false;
    }
    if (!ev || typeof ev !== "object" || typeof (ev as { event?: unknown }).event !== "string") {
      this.badLines++;
      return false;
    }
    this.addEvent(ev as PytestEvent);
    return true;
  }

  /** Applies one event; counts follow pytest's own summary line. */
  addEvent(ev: PytestEvent): void {
    switch (ev.event) {
      case "start":
        // A resumed run starts again: keep the first start.
        if (!this.start) this.start = ev;
        return;
      case "collected":
        this.attemptCollected = true;
        if (this.collected === null) {
          this.collected = num(ev.count);
          if (Array.isArray(ev.nodeids)) this.collectedNodeIds = ev.nodeids.map(String);
        }
        return;
      case "finish":
        this.finish = ev;
        return;
      case "collect":
        return this.addCollect(ev);
      case "phase":
        return this.addPhase(ev);
      case "test":
        return this.addPassedTest(ev);
      case "anomaly":
        return this.addAnomaly(ev);
      case "files":
        for (const f of [...(ev.testFiles ?? []), ...(ev.conftests ?? []), ...(ev.configFile ? [ev.configFile] : [])])
          this.definingFiles.add(String(f));
        if (Array.isArray(ev.pythonFiles)) this.pythonFiles = ev.pythonFiles.map(String);
        return;
      case "loaded":
        if (Array.isArray(ev.paths)) for (const p of ev.paths) if (typeof p === "string" && p.startsWith("/")) this.loaded.add(p);
        return;
    }
  }

  private addAnomaly(ev: Extract<PytestEvent, { event: "anomaly" }>): void {
    const kind = RunAnomalyKindSchema.safeParse(ev.kind);
    const nodeId = typeof ev.nodeid === "string" ? ev.nodeid : null;
    const anomaly: RunAnomaly = { kind: kind.success ? kind.data : "channels_disagree", nodeId, detail: str(ev.detail) };
    if (!this.anomalies.some((a) => a.kind === anomaly.kind && a.nodeId === anomaly.nodeId)) this.anomalies.push(anomaly);
  }

  private addCollect(ev: Extract<PytestEvent, { event: "collect" }>): void {
    const nodeId = str(ev.nodeid);
    // A resumed run collects again: a module's error is reported once.
    if (this.collectFailures.has(nodeId)) return;
    this.collectFailures.add(nodeId);
    if (ev.outcome === "failed") {
      this.counts.errors++;
      this.failedNodes.add(nodeId);
      this.failures.push(failureFromPlugin(nodeId, "collect", 0, ev.failure, this.rootDir));
    } else {
      this.counts.skipped++;
      this.skippedNodes.add(nodeId);
    }
  }

  private addPassedTest(ev: Extract<PytestEvent, { event: "test" }>): void {
    const nodeId = str(ev.nodeid);
    this.durations.set(nodeId, (this.durations.get(nodeId) ?? 0) + Math.max(0, num(ev.duration)));
    this.phasesSeen.set(nodeId, new Set(["setup", "call", "teardown"]));
    this.lastNodeId = nodeId;
    this.counts.passed++;
    this.passedCalls.add(nodeId);
    this.done.add(nodeId);
  }

  private addPhase(ev: Extract<PytestEvent, { event: "phase" }>): void {
    const nodeId = str(ev.nodeid);
    const when = str(ev.when);
    const duration = Math.max(0, num(ev.duration));
    this.durations.set(nodeId, (this.durations.get(nodeId) ?? 0) + duration);
    let seen = this.phasesSeen.get(nodeId);
    if (!seen) this.phasesSeen.set(nodeId, (seen = new Set()));
    seen.add(when);
    this.lastNodeId = nodeId;
    if (ev.worker) this.workerOf.set(nodeId, ev.worker);
    const xfail = typeof ev.wasxfail === "string";
    if (typeof ev.subtest === "string") return this.addSubtest(nodeId, duration, ev);
    if (ev.outcome === "failed") {
      const phase = PHASES[when] ?? "call";
      if (when === "call" || when === "???") this.counts.failed++;
      else this.counts.errors++;
      this.failedNodes.add(nodeId);
      this.failures.push(failureFromPlugin(nodeId, phase, duration, ev.failure, this.rootDir));
      if (when === "???") this.done.add(nodeId);
    } else if (ev.outcome === "skipped") {
      if (xfail) this.counts.xfailed++;
      else {
        this.counts.skipped++;
        this.skippedNodes.add(nodeId);
      }
    } else if (when === "call") {
      if (xfail) this.counts.xpassed++;
      else {
        this.counts.passed++;
        this.passedCalls.add(nodeId);
      }
    }
    if (when === "teardown") this.done.add(nodeId);
  }

  /**
   * A subtest's report counts as pytest's summary counts it (its category): a failure is one more "failed", attached to
   * its test (which pytest 9 then also fails), its stack trace headed by the subtest; a pass is not a test of its own.
   */
  private addSubtest(nodeId: string, duration: number, ev: Extract<PytestEvent, { event: "phase" }>): void {
    const category = str(ev.category, ev.outcome);
    if (category === "failed") this.counts.failed++;
    else if (category === "skipped") this.counts.skipped++;
    else if (category === "xfailed") this.counts.xfailed++;
    if (ev.outcome !== "failed") return;
    this.failedNodes.add(nodeId);
    const failure = failureFromPlugin(nodeId, "call", duration, ev.failure, this.rootDir);
    this.failures.push({ ...failure, stackTrace: `subtest ${str(ev.subtest)}\n${failure.stackTrace}` });
  }

  /** Records a failure found outside the stream (a hard hang's stack dump). */
  addFailure(failure: Failure): void {
    if (failure.phase === "call") this.counts.failed++;
    else this.counts.errors++;
    this.failedNodes.add(failure.nodeId);
    this.failures.push(failure);
    this.done.add(failure.nodeId);
  }

  /** Replaces a recorded failure (an xdist crash report once its stack dump is known). */
  replaceFailure(nodeId: string, phase: FailurePhase, next: Failure): boolean {
    const i = this.failures.findIndex((f) => f.nodeId === nodeId && f.phase === phase);
    if (i < 0) return false;
    this.failures[i] = next;
    return true;
  }

  /** Whether tests are under way: the current attempt collected, has not finished, and not every collected test is done. */
  testsRunning(): boolean {
    return this.attemptCollected && this.finish === null && (this.collected === null || this.done.size < this.collected);
  }

  /** Live progress: collected count, finished tests, failures so far. */
  progress(): { collected: number | null; done: number; failed: number; lastNodeId?: string } {
    return {
      collected: this.collected,
      done: this.done.size,
      failed: this.failures.length,
      lastNodeId: this.lastNodeId || undefined,
    };
  }

  /** The run as far as the stream went; a test with an anomaly counts as failed with an "UntrustedPass" failure. */
  parts(): PytestRunParts {
    const c = { ...this.counts };
    const failures = [...this.failures];
    const untrusted = new Set<string>();
    for (const a of this.anomalies) {
      if (a.nodeId === null || untrusted.has(a.nodeId) || !this.passedCalls.has(a.nodeId) || this.failedNodes.has(a.nodeId)) continue;
      untrusted.add(a.nodeId);
      c.passed--;
      c.failed++;
      failures.push(
        failureFromPlugin(a.nodeId, "call", this.durations.get(a.nodeId) ?? 0, { errorType: "UntrustedPass", errorMessage: a.detail }),
      );
    }
    const testFiles = new Set(this.definingFiles);
    for (const id of [...(this.collectedNodeIds ?? []), ...this.passedCalls, ...this.failedNodes]) testFiles.add(splitNodeId(id).testFile);
    return {
      ...c,
      total: c.passed + c.failed + c.errors + c.skipped + c.xfailed + c.xpassed,
      failures,
      passedNodeIds: [...this.passedCalls].filter((id) => !this.failedNodes.has(id) && !untrusted.has(id)),
      skippedNodeIds: [...this.skippedNodes],
      testDurations: new Map(this.durations),
      collected: this.collected,
      collectedNodeIds: this.collectedNodeIds ? [...this.collectedNodeIds] : null,
      doneNodeIds: new Set(this.done),
      phasesSeen: new Map([...this.phasesSeen].map(([k, v]) => [k, new Set(v)])),
      workerOf: new Map(this.workerOf),
      start: this.start,
      finish: this.finish,
      badLines: this.badLines,
      anomalies: [...this.anomalies],
      testFiles: [...testFiles].filter((f) => f !== "" && !f.startsWith("/")).sort(),
      pythonFiles: this.pythonFiles,
      loadedPaths: [...this.loaded],
    };
  }
}

/** Parses a whole JSONL stream at once. */
export function parsePytestJsonl(text: string, rootDir?: string): PytestRunParts {
  const acc = new PytestJsonlAccumulator(rootDir);
  acc.push(text);
  acc.end();
  return acc.parts();
}
