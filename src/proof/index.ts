// The proof of a fix: one service every path (graph, chat, tools, auto-fixer) uses to decide what is kept.
export { confirmFlaky, findFlaky } from "./flaky.js";
export type { FlakyCheck } from "./flaky.js";
export { guardAdapter } from "./guard.js";
export { judgeRun } from "./judge-run.js";
export { overlayRun } from "./overlay.js";
export type { JudgeContext, RunVerdict } from "./judge-run.js";
export { proveFix, ProofInterrupted } from "./prove-fix.js";
export { isFixedIn } from "./targets.js";
export type { ProofApproval, ProofDeps, ProofInput, ProofOutcome, ProofPhase } from "./prove-fix.js";
export { fixRecordOf } from "./record.js";
export { patchSignature } from "./signature.js";
