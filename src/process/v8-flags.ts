// The V8 flags redgreen sets at run time, in one list (bin/redgreen.js starts it under Symbol.for("redgreen.v8-flags")).
import { setFlagsFromString } from "node:v8";

const KEY = Symbol.for("redgreen.v8-flags");
type Flagged = { [KEY]?: string[] };

/** The flags set so far: V8 turns down a code cache made under other flags (src/ts-project/code-cache.ts). */
export const v8FlagsSet = (): readonly string[] => (globalThis as Flagged)[KEY] ?? [];

/** Sets a V8 flag and notes it. */
export function setV8Flag(flag: string): void {
  setFlagsFromString(flag);
  (globalThis as Flagged)[KEY] = [...v8FlagsSet(), flag];
}
