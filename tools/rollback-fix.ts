// rollback_fix: puts the files an apply_fix changed back byte for byte, from the journaled originals.
import { z } from "zod";
import type { AppliedEdit } from "../src/domain/index.js";
import { RedgreenError } from "../src/domain/errors.js";
import { restoreEdits } from "../src/fixers/apply.js";
import { withProjectLock } from "../src/fixers/project-lock.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { projectPathField } from "./fields.js";
import type { ToolSession } from "./session.js";

export const RollbackFixInputSchema = z.strictObject({
  projectPath: projectPathField.describe(
    "Project the fix was applied in. Omit to use the project apply_fix used (or the default project).",
  ),
  applyId: z.string().min(1).describe("applyId returned by apply_fix."),
});

/** The rollback_fix tool. */
export function createRollbackFixTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "rollback_fix",
    description:
      "Undo a fix applied with apply_fix: every file it changed gets its original bytes back. Refuses (with the file names) when a " +
      "file was changed again since, so later work is never overwritten.",
    schema: RollbackFixInputSchema,
    outputSchema: z.object({
      rolledBack: z.literal(true),
      applyId: z.string(),
      files: z.array(z.string()).describe("Files given their original bytes back."),
    }),
    async run(input) {
      const journal = session.journal();
      const entries = journal.list(input.applyId);
      if (entries.length === 0) throw new RedgreenError("not_found", `no fix was applied with applyId ${input.applyId}`);
      const kept = entries.filter((e) => e.state === "kept");
      if (kept.length === 0) {
        const state = entries[0]!.state;
        throw new RedgreenError(
          "conflict",
          state === "undone"
            ? `fix ${input.applyId} was already rolled back`
            : `fix ${input.applyId} is not in effect (its state is "${state}")`,
        );
      }
      const projectRoot = session.projectRoot(input.projectPath ?? session.appliedRoots.get(input.applyId));
      const applied: AppliedEdit[] = kept.map((e) => ({
        file: e.file,
        originalBase64: e.originalBase64,
        originalSha256: e.originalSha256,
        writtenSha256: e.writtenSha256 ?? e.originalSha256,
      }));
      await withProjectLock(projectRoot, { workflowId: input.applyId, command: "rollback_fix" }, async () => {
        await restoreEdits(projectRoot, applied);
        journal.settle(input.applyId, input.applyId, "undone");
      });
      return { rolledBack: true as const, applyId: input.applyId, files: kept.map((e) => e.file) };
    },
  });
}
