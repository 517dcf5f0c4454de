// Typed wrappers over redgreen_ops/policy.py and overfit.py: the policy's and the overfit rule's findings in a Python file's two versions.
import { z } from "zod";
import { ViolationRuleSchema } from "../domain/validation.js";
import type { CallOptions, PythonCaller } from "./client.js";
import { callOp, sized } from "./ops.js";

export const FindingSchema = z.object({ rule: ViolationRuleSchema, key: z.string(), line: z.number().int(), evidence: z.string() });

const PolicyFindingsSchema = z.object({ parsed: z.boolean(), findings: z.array(FindingSchema) });
export type PolicyFindings = z.infer<typeof PolicyFindingsSchema>;

const OverfitFindingsSchema = z.object({ parsed: z.boolean(), original: z.array(FindingSchema), fixed: z.array(FindingSchema) });
export type OverfitFindings = z.infer<typeof OverfitFindingsSchema>;

/** What the policy ops need to know about secret-named environment variables (the rule of src/validation/env-secrets.ts). */
export interface SecretNameRule {
  pattern: string;
  notSecret: readonly string[];
}

/** Policy findings (test infrastructure, execution, network, secret or whole-environment reads, file writes) of one version. */
export const policyFindings = (
  helper: PythonCaller,
  source: string,
  filename: string,
  isTest: boolean,
  secrets: SecretNameRule,
  opts?: CallOptions,
): Promise<PolicyFindings> =>
  callOp(
    helper,
    "policy_findings",
    { source, filename, is_test: isTest, secret_name_pattern: secrets.pattern, not_secret_names: secrets.notSecret },
    PolicyFindingsSchema,
    sized(opts, source),
  );

/** Overfit findings of both versions; tests: each failing test's name (the node id after "::"), file and source. */
export const overfitFindings = (
  helper: PythonCaller,
  original: string,
  fixed: string,
  filename: string,
  tests: readonly { name: string; file: string; source: string }[],
  opts?: CallOptions,
): Promise<OverfitFindings> =>
  callOp(
    helper,
    "overfit_findings",
    { original, fixed, filename, tests },
    OverfitFindingsSchema,
    sized(opts, original, fixed, ...tests.map((t) => t.source)),
  );
