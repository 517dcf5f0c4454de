// Types for policy-corpus.mjs.
import type { FileEdit, Violation, ViolationRule } from "../../src/domain/index.js";
import type { CheckResult, FailingTestText, FixContext, FixInput } from "../../src/validation/index.js";
import type { PythonCaller } from "../../src/python/client.js";

export interface CorpusCase {
  id: string;
  root: string;
  file: string;
  original: string;
  fixed: string;
  failingTests: FailingTestText[];
  allowTestEdits: boolean;
  /** The rule a hostile case must break; null for honest cases. */
  rule: ViolationRule | null;
}
export interface Judged {
  id: string;
  rule: ViolationRule | null;
  found: Violation[];
}
export interface RuleTally {
  rule: ViolationRule;
  honestFlagged: number;
  honestTotal: number;
  hostileCaught: number;
  hostileTotal: number;
}
export declare function loadCorpus(
  repoRoot: string,
  name: "honest" | "hostile",
  applyEdit: (text: string, edit: FileEdit) => string,
): CorpusCase[];
export declare function judgeCorpus(
  cases: CorpusCase[],
  checks: {
    createFixContext: (input: FixInput) => FixContext;
    checkPolicy: (ctx: FixContext) => Promise<CheckResult>;
    checkOverfit: (ctx: FixContext) => Promise<CheckResult>;
    helper: PythonCaller;
  },
): Promise<Judged[]>;
export declare function tallyByRule(rules: readonly ViolationRule[], honest: Judged[], hostile: Judged[]): RuleTally[];
