// A static check whose helper op failed (timed out, died, raised) is a failed check with the reason, never a silent pass.
import { isHelperOpError, type HelperOpError } from "../python/client.js";
import type { CheckResult } from "./context.js";

/** The reason a check that could not run gives: its name and the helper's first line of why. */
export const unrunnableReason = (check: string, error: HelperOpError): string =>
  `${check}: the check could not run (${error.message.split("\n")[0] ?? error.op}); a check that cannot run fails the fix`;

/** Runs `check`; a helper op failure becomes this check's reason (the helper restarts on its own), anything else is thrown. */
export async function orUnrunnable<T>(check: string, run: Promise<T>, failed: (reason: string) => T): Promise<T> {
  try {
    return await run;
  } catch (e) {
    if (!isHelperOpError(e)) throw e;
    return failed(unrunnableReason(check, e));
  }
}

/** A CheckResult failing with `reason`. */
export const failedCheck = (reason: string): CheckResult => ({ reasons: [reason], warnings: [] });
