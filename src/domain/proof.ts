// The proof of a fix: the rules a candidate can fail, and the evidence each verdict carries.
import { z } from "zod";

/**
 * Why a fix was not kept, past the static checks (whose own rule ids, policy.* / overfit.* / scope.*, are reported
 * as they are):
 * - validation: a static check refused it before anything was written
 * - declined: the user said no
 * - tamper: files changed while its tests ran (tests, conftest, snapshots, config or source)
 * - untrusted_result: the runner's channels disagree, or a test was reported otherwise than it ran
 * - tests_vanished: fewer tests were collected than before the fix, or a test of the baseline is gone
 * - still_failing: none of its target tests passes
 * - broke_tests: a test that passed before fails now
 * - not_in_full_suite: its targets pass alone but not in the full suite
 * - run_failed: a run of its proof ended in error or timeout
 * And the one rule of a kept fix:
 * - progress: kept although it fixes no target, because a target's failure moved further on in both runs (a later
 *   phase, a later line of the code where it failed, or the next missing name at the same statement) and no other
 *   test newly fails; the next round builds on it. Never counted as fixed.
 */
export const ProofRuleSchema = z.enum([
  "validation",
  "declined",
  "tamper",
  "untrusted_result",
  "tests_vanished",
  "still_failing",
  "broke_tests",
  "not_in_full_suite",
  "run_failed",
  "progress",
]);
export type ProofRule = z.infer<typeof ProofRuleSchema>;
