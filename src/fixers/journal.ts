// Journaled edits: originals go to the edit journal before a file is written, so crashes and undo lose nothing.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import type { AppliedEdit, FileEdit } from "../domain/fix.js";
import type { EditJournal, JournalEntry } from "../store/edit-journal.js";
import { applyEdits, resolveProjectFile, unifiedDiff, writeFileAtomic } from "./apply.js";
import { isProcessAlive } from "./project-lock.js";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function readProjectBytes(projectRoot: string, rel: string): Promise<{ rel: string; real: string; bytes: Buffer | null }> {
  const file = await resolveProjectFile(projectRoot, rel);
  try {
    return { ...file, bytes: await readFile(file.real) };
  } catch {
    return { ...file, bytes: null };
  }
}

/** Applies a fix's edits after journaling the originals of every file it touches (state "pending"). */
export async function applyJournaled(
  journal: EditJournal,
  workflowId: string,
  signature: string,
  projectRoot: string,
  edits: readonly FileEdit[],
): Promise<AppliedEdit[]> {
  return writeJournaled(
    journal,
    { workflowId, signature, projectRoot },
    edits.map((e) => e.file),
    () => applyEdits(projectRoot, edits),
  );
}

/**
 * Sets files to given bytes after journaling their current content (state "pending", the caller settles it): a crash
 * before the settle puts them back, as for a fix. The graph moves files between its fixes' versions this way.
 */
export async function writeContentsJournaled(
  journal: EditJournal,
  key: { workflowId: string; signature: string; projectRoot: string },
  contents: readonly { file: string; bytes: Buffer }[],
): Promise<AppliedEdit[]> {
  return writeJournaled(
    journal,
    key,
    contents.map((c) => c.file),
    async () => {
      const applied: AppliedEdit[] = [];
      for (const c of contents) {
        const { rel, real, bytes } = await readProjectBytes(key.projectRoot, c.file);
        if (bytes === null || bytes.equals(c.bytes)) continue;
        await writeFileAtomic(real, c.bytes);
        applied.push({
          file: rel,
          originalBase64: bytes.toString("base64"),
          originalSha256: sha256(bytes),
          writtenSha256: sha256(c.bytes),
        });
      }
      return applied;
    },
  );
}

/** Journals the originals of `files` as pending, runs `write`, and records what it wrote for each file. */
async function writeJournaled(
  journal: EditJournal,
  key: { workflowId: string; signature: string; projectRoot: string },
  files: readonly string[],
  write: () => Promise<AppliedEdit[]>,
): Promise<AppliedEdit[]> {
  const { workflowId, signature, projectRoot } = key;
  const originals = new Map<string, { file: string; originalBase64: string; originalSha256: string }>();
  for (const file of files) {
    const { rel, bytes } = await readProjectBytes(projectRoot, file);
    if (bytes === null || originals.has(rel)) continue;
    originals.set(rel, { file: rel, originalBase64: bytes.toString("base64"), originalSha256: sha256(bytes) });
  }
  journal.begin(workflowId, signature, [...originals.values()]);
  const applied = await write();
  for (const a of applied) journal.written(workflowId, signature, a.file, a.writtenSha256);
  return applied;
}

/** The AppliedEdit records of journal entries, for restoreEdits. */
export const appliedFromJournal = (entries: readonly JournalEntry[]): AppliedEdit[] =>
  entries.map((e) => ({
    file: e.file,
    originalBase64: e.originalBase64,
    originalSha256: e.originalSha256,
    writtenSha256: e.writtenSha256 ?? e.originalSha256,
  }));

/** Whether an entry was written by another process that still runs (or by one on another host, which cannot be checked). */
const ownedByAnotherLiveProcess = (e: JournalEntry): boolean =>
  e.ownerPid !== null && e.ownerPid !== process.pid && (e.ownerHost !== hostname() || isProcessAlive(e.ownerPid));

/**
 * Puts back the files of fixes left "pending" by a crash (a file is restored only when it holds what redgreen
 * wrote; the original bytes are written atomically) and marks them "interrupted", so the fix is tried again.
 * A fix another live process is in the middle of is not a crash: its entries are left alone.
 */
export async function recoverPending(journal: EditJournal, workflowId: string, projectRoot: string): Promise<string[]> {
  const all = journal.list(workflowId, "pending");
  const live = new Set(all.filter(ownedByAnotherLiveProcess).map((e) => e.signature));
  const pending = all.filter((e) => !live.has(e.signature));
  const restored: string[] = [];
  for (const entry of [...pending].reverse()) {
    const { real, bytes } = await readProjectBytes(projectRoot, entry.file);
    const now = bytes === null ? null : sha256(bytes);
    if (now === entry.originalSha256) continue;
    if (now !== null && entry.writtenSha256 !== null && now !== entry.writtenSha256) continue; // someone else's change
    await writeFileAtomic(real, Buffer.from(entry.originalBase64, "base64"));
    restored.push(entry.file);
  }
  for (const signature of new Set(pending.map((e) => e.signature))) journal.settle(workflowId, signature, "interrupted");
  return restored;
}

export interface UndoResult {
  restored: string[];
  refused: { file: string; reason: string }[];
}

/** Restores every file a workflow's kept fixes changed to its state before the workflow; refuses files changed since. */
export async function undoWorkflow(journal: EditJournal, workflowId: string, projectRoot: string): Promise<UndoResult> {
  // A fix half-applied when the run was killed is redgreen's change too: put it back first.
  const recovered = await recoverPending(journal, workflowId, projectRoot);
  const kept = journal.list(workflowId, "kept");
  const perFile = new Map<string, { first: JournalEntry; last: JournalEntry }>();
  for (const e of kept) {
    const cur = perFile.get(e.file);
    perFile.set(e.file, { first: cur?.first ?? e, last: e });
  }
  const result: UndoResult = { restored: recovered.filter((f) => !perFile.has(f)), refused: [] };
  const settled = new Set<string>();
  for (const [file, { first, last }] of perFile) {
    const { real, bytes } = await readProjectBytes(projectRoot, file);
    const now = bytes === null ? null : sha256(bytes);
    if (now === first.originalSha256) {
      result.restored.push(file);
    } else if (now !== last.writtenSha256) {
      result.refused.push({ file, reason: `${file} changed since redgreen edited it; not restoring` });
      continue;
    } else {
      await writeFileAtomic(real, Buffer.from(first.originalBase64, "base64"));
      result.restored.push(file);
    }
    for (const e of kept) if (e.file === file) settled.add(e.signature);
  }
  const refusedFiles = new Set(result.refused.map((r) => r.file));
  for (const signature of settled) {
    // A fix spanning a refused file stays "kept" so a later undo can still finish it.
    if (!kept.some((e) => e.signature === signature && refusedFiles.has(e.file))) journal.settle(workflowId, signature, "undone");
  }
  return result;
}

/** Unified diff of every file a workflow's kept fixes changed: original before the workflow → now. */
export async function workflowPatch(journal: EditJournal, workflowId: string, projectRoot: string): Promise<string> {
  const firstOriginal = new Map<string, string>();
  for (const e of journal.list(workflowId, "kept")) if (!firstOriginal.has(e.file)) firstOriginal.set(e.file, e.originalBase64);
  const parts: string[] = [];
  for (const [file, b64] of firstOriginal) {
    const { bytes } = await readProjectBytes(projectRoot, file);
    const before = Buffer.from(b64, "base64").toString("utf8");
    const after = bytes === null ? "" : bytes.toString("utf8");
    if (before !== after) parts.push(unifiedDiff(file, before, after));
  }
  return parts.join("");
}
