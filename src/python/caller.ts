// What a caller of the Python helper sees: the call interface (fakes implement just this), the error of one failed op,
// and the helper's `version` reply and counters. The process itself is PythonHelper (client.ts).
import { z } from "zod";
import { RedgreenError } from "../domain/errors.js";

/** What a check or service needs from the helper: calls by op name (fakes implement just this). */
export interface PythonCaller {
  call<T>(op: string, args: object, opts?: CallOptions): Promise<T>;
  /**
   * Reads the project's modules into the helper's caches ahead of the ops that need them, for a caller with idle time
   * (a test run under way). Only a started helper has it: a lazy one is not started for it.
   */
  warm?(): Promise<void>;
}

export interface CallOptions {
  /** Per-call limit, counted from when the helper starts the op; past it the call rejects and the helper is restarted. */
  timeoutMs?: number;
  /** Characters of source the op parses or compares: its budget (src/python/ops.ts) grows with them. */
  inputChars?: number;
}

/**
 * A helper op that failed on its own (timed out, died with the process, or raised): the helper lives on (restarted
 * and replaying the other calls), so a caller may treat this as one failed check rather than a failed run.
 */
export class HelperOpError extends RedgreenError {
  constructor(
    readonly op: string,
    readonly failure: "timeout" | "crash" | "exception",
    code: "runner_failed" | "internal",
    message: string,
  ) {
    super(code, message);
  }
}

export const isHelperOpError = (e: unknown): e is HelperOpError => e instanceof HelperOpError;

/** The helper's `version` reply: interpreter facts and the ops it serves. */
export const HelperInfoSchema = z.object({
  protocol: z.number().int(),
  python: z.string(),
  versionInfo: z.array(z.number().int()),
  implementation: z.string(),
  executable: z.string(),
  prefix: z.string(),
  pid: z.number().int(),
  projectRoot: z.string(),
  ops: z.array(z.string()),
  /** The redgreen_ops module serving each op (parse, resolve, …; "helper" for ping and version). */
  origins: z.record(z.string(), z.string()),
  /** redgreen_ops modules that failed to import, with their traceback. */
  loadErrors: z.record(z.string(), z.string()),
});
export type HelperInfo = z.infer<typeof HelperInfoSchema>;

/** Counters for diagnostics and benchmarks. */
export interface HelperStats {
  calls: number;
  failedCalls: number;
  timeouts: number;
  restarts: number;
}
