// Applying fixes to files: atomic writes inside the project root, and byte-for-byte restore of what was changed.
import { createHash, randomBytes } from "node:crypto";
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { AppliedEdit, FileEdit } from "../domain/fix.js";
import { RedgreenError, isRedgreenError } from "../domain/errors.js";
import { applyFileEdits } from "./locate-edit.js";
import { resolveProjectFile } from "./paths.js";

export { applyFileEdits, applyFix, bottomUp, locateEdit, reindentBlock, type EditLocation } from "./locate-edit.js";
export { unifiedDiff } from "./diff.js";
export { resolveProjectFile, type ProjectFile } from "./paths.js";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes file bytes so that encoding back gives the same bytes: UTF-8 when valid, else latin1 (one char per byte). */
function decodeFile(bytes: Buffer): { text: string; encoding: "utf8" | "latin1" } {
  try {
    return { text: UTF8.decode(bytes), encoding: "utf8" };
  } catch {
    return { text: bytes.toString("latin1"), encoding: "latin1" };
  }
}

/** An edit's text in the file's decoding: for latin1-decoded files, each UTF-8 byte of the edit becomes one char. */
const inEncoding = (s: string, encoding: "utf8" | "latin1"): string =>
  encoding === "utf8" ? s : Buffer.from(s, "utf8").toString("latin1");

/** Writes bytes atomically: a temp file in the same folder, fsync, rename over the target (keeping its mode). */
export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.redgreen-${randomBytes(6).toString("hex")}.tmp`);
  let mode: number | undefined;
  try {
    mode = (await stat(target)).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const fh = await open(tmp, "wx", mode ?? 0o644);
  try {
    await fh.writeFile(bytes);
    if (mode !== undefined) await fh.chmod(mode);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  // Persist the rename itself; not every filesystem lets a directory be fsynced.
  try {
    const dir = await open(dirname(target), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    /* best effort */
  }
}

const ioError = (what: string, cause: unknown): RedgreenError =>
  isRedgreenError(cause) ? cause : new RedgreenError("io_error", `${what}: ${(cause as Error).message}`, { cause });

/**
 * Applies edits to files under the project root and returns, per file, the record needed to undo them.
 * Every edit is computed before anything is written; a write failure restores the files already written.
 * Paths outside the project (absolute, `..`, symlinks leading out) are refused with RedgreenError("usage").
 */
export async function applyEdits(projectRoot: string, edits: readonly FileEdit[]): Promise<AppliedEdit[]> {
  const byFile = new Map<string, { rel: string; real: string; edits: FileEdit[] }>();
  for (const edit of edits) {
    const file = await resolveProjectFile(projectRoot, edit.file);
    const entry = byFile.get(file.real) ?? { rel: file.rel, real: file.real, edits: [] };
    entry.edits.push(edit);
    byFile.set(file.real, entry);
  }

  const planned: { rel: string; real: string; original: Buffer; written: Buffer }[] = [];
  for (const { rel, real, edits: fileEdits } of byFile.values()) {
    let original: Buffer;
    try {
      original = await readFile(real);
    } catch (cause) {
      throw ioError(`cannot read ${rel}`, cause);
    }
    const { text, encoding } = decodeFile(original);
    const next = applyFileEdits(
      text,
      fileEdits.map((edit) => ({ ...edit, find: inEncoding(edit.find, encoding), replace: inEncoding(edit.replace, encoding) })),
    );
    planned.push({ rel, real, original, written: Buffer.from(next, encoding) });
  }

  const applied: AppliedEdit[] = [];
  const done: (typeof planned)[number][] = [];
  try {
    for (const p of planned) {
      if (!p.written.equals(p.original)) await writeFileAtomic(p.real, p.written);
      done.push(p);
      applied.push({
        file: p.rel,
        originalBase64: p.original.toString("base64"),
        writtenSha256: sha256(p.written),
        originalSha256: sha256(p.original),
      });
    }
  } catch (cause) {
    for (const p of done.reverse()) await writeFileAtomic(p.real, p.original).catch(() => undefined);
    throw ioError("writing the fix failed (files already written were restored)", cause);
  }
  return applied;
}

/**
 * Puts files back exactly as they were before applyEdits. Refuses with RedgreenError("conflict"), before writing
 * anything, when a file changed since redgreen wrote it; a file already holding its original bytes is left alone.
 */
export async function restoreEdits(projectRoot: string, applied: readonly AppliedEdit[]): Promise<void> {
  const todo: { real: string; original: Buffer }[] = [];
  const conflicts: string[] = [];
  for (const record of [...applied].reverse()) {
    const { real, rel } = await resolveProjectFile(projectRoot, record.file);
    let current: Buffer;
    try {
      current = await readFile(real);
    } catch (cause) {
      throw ioError(`cannot read ${rel}`, cause);
    }
    const now = sha256(current);
    if (now === record.originalSha256) continue;
    if (now !== record.writtenSha256) {
      conflicts.push(rel);
      continue;
    }
    const original = Buffer.from(record.originalBase64, "base64");
    if (sha256(original) !== record.originalSha256)
      throw new RedgreenError("internal", `the backup of ${rel} is corrupt (sha256 mismatch)`);
    todo.push({ real, original });
  }
  if (conflicts.length > 0) {
    throw new RedgreenError(
      "conflict",
      `not restoring: ${conflicts.join(", ")} changed since redgreen edited ${conflicts.length === 1 ? "it" : "them"}`,
    );
  }
  for (const { real, original } of todo) {
    try {
      await writeFileAtomic(real, original);
    } catch (cause) {
      throw ioError(`restoring ${real} failed`, cause);
    }
  }
}
