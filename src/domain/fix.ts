// FixProposal and AppliedEdit: a proposed minimal edit and the record needed to undo it.
import { z } from "zod";

export const FileEditSchema = z.object({
  /** Path relative to the project root. */
  file: z.string(),
  /** Exact text currently in the file (empty string with insertAtLine to insert). */
  find: z.string(),
  replace: z.string(),
  /** The line near which `find` is expected; disambiguates repeated text. 1-based. */
  nearLine: z.number().int().positive().optional(),
});
export type FileEdit = z.infer<typeof FileEditSchema>;

export const FixSourceSchema = z.enum(["pattern", "llm"]);
export type FixSource = z.infer<typeof FixSourceSchema>;

export const FixProposalSchema = z.object({
  source: FixSourceSchema,
  strategy: z.string(),
  edits: z.array(FileEditSchema).min(1),
  explanation: z.string(),
  confidence: z.number().min(0).max(1).optional(),
});
export type FixProposal = z.infer<typeof FixProposalSchema>;

export const AppliedEditSchema = z.object({
  file: z.string(),
  /** Full original content, base64, so the restore is byte-for-byte. */
  originalBase64: z.string(),
  /** sha256 of the content redgreen wrote: restore refuses when the file changed since. */
  writtenSha256: z.string(),
  originalSha256: z.string(),
});
export type AppliedEdit = z.infer<typeof AppliedEditSchema>;
