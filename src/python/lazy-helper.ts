// lazyPythonHelper: a PythonCaller that starts its helper process on the first call (TS projects never pay for Python).
import { RedgreenError } from "../domain/errors.js";
import type { CallOptions, PythonCaller } from "./client.js";

/** A caller the owner can stop; close() is a no-op when nothing was started. */
export type ClosablePythonCaller = PythonCaller & { close(): Promise<void> };

/** Defers `start` until the first call; a failed start is retried on the next call; after close() calls are refused. */
export function lazyPythonHelper(start: () => Promise<ClosablePythonCaller>): ClosablePythonCaller {
  let started: Promise<ClosablePythonCaller> | null = null;
  let closed = false;
  const helper = (): Promise<ClosablePythonCaller> => {
    if (closed) return Promise.reject(new RedgreenError("internal", "the Python helper is closed"));
    if (started === null) {
      const attempt = start();
      started = attempt;
      attempt.catch(() => {
        if (started === attempt) started = null;
      });
    }
    return started;
  };
  return {
    async call<T>(op: string, args: object, opts?: CallOptions): Promise<T> {
      return (await helper()).call<T>(op, args, opts);
    },
    async close() {
      closed = true;
      const running = started;
      started = null;
      if (running) await (await running.catch(() => null))?.close();
    },
  };
}
