// The fixes of a workflow as they stand now: a kept fix whose edits /undo (or a fork) put back reads "undone".
import type { EditJournal } from "../../store/edit-journal.js";
import type { FixAttempt } from "../../store/index.js";
import type { ChatSession } from "./session.js";

/** A fix attempt with its status now: the recorded one, or "undone" once its files were restored. */
export type FixNow = Omit<FixAttempt, "status"> & { status: FixAttempt["status"] | "undone" };

/**
 * Pairs each kept attempt (oldest first) with the oldest unpaired journal fix that wrote its file and was kept
 * (kept or undone since); the attempt reads "undone" when that fix's journal entries are all undone.
 */
export function fixesNow(attempts: readonly FixAttempt[], journal: EditJournal, workflowId: string): FixNow[] {
  const bySignature = new Map<string, { files: Set<string>; undone: boolean }>();
  for (const e of journal.list(workflowId)) {
    if (e.state !== "kept" && e.state !== "undone") continue;
    const fix = bySignature.get(e.signature) ?? { files: new Set<string>(), undone: true };
    fix.files.add(e.file);
    fix.undone &&= e.state === "undone";
    bySignature.set(e.signature, fix);
  }
  const unpaired = [...bySignature.values()];
  return attempts.map((a) => {
    if (a.status !== "kept") return a;
    const i = unpaired.findIndex((f) => f.files.has(a.file));
    if (i < 0) return a;
    const [fix] = unpaired.splice(i, 1);
    return fix!.undone ? { ...a, status: "undone" } : a;
  });
}

/** The session's workflow's fixes as they stand now (none without a workflow). */
export const sessionFixes = (s: Pick<ChatSession, "workflowId" | "runtime">): FixNow[] =>
  s.workflowId === null ? [] : fixesNow(s.runtime.deps.store.listFixAttempts(s.workflowId), s.runtime.deps.journal, s.workflowId);
