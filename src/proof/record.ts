// fixRecordOf: the stored record of a proven (or refused) fix, the same for the graph, chat and the auto-fixer.
import type { FixProposal, FixRecord } from "../domain/index.js";
import type { ProofOutcome } from "./prove-fix.js";

/** The FixRecord of an outcome: which rule decided it and with what evidence, next to the diff. */
export function fixRecordOf(proposal: FixProposal, outcome: ProofOutcome, iteration: number): FixRecord {
  const files = outcome.changes.length > 0 ? outcome.changes.map((c) => c.file) : [...new Set(proposal.edits.map((e) => e.file))];
  return {
    iteration,
    file: files.join(", "),
    source: proposal.source,
    strategy: proposal.strategy,
    status: outcome.status,
    risk: outcome.risk,
    reason: outcome.reason,
    diff: outcome.diff,
    rule: outcome.rule ?? undefined,
    evidence: outcome.rule !== null ? outcome.evidence : undefined,
  };
}
