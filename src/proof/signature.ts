// patchSignature: a fix's identity, so the same edits proposed twice are recognised as already tried.
import { createHash } from "node:crypto";
import type { FileEdit } from "../domain/index.js";

/** A stable signature of a patch: its files, find and replace texts, hashed. */
export const patchSignature = (edits: readonly FileEdit[]): string =>
  createHash("sha256")
    .update(JSON.stringify(edits.map((e) => [e.file, e.find, e.replace])))
    .digest("hex")
    .slice(0, 16);
