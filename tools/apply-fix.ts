// apply_fix: validates a fix, journals the originals, writes the edits and returns the applyId rollback_fix takes.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { AppliedEdit } from "../src/domain/index.js";
import { RedgreenError } from "../src/domain/errors.js";
import { applyEdits, resolveProjectFile, restoreEdits } from "../src/fixers/apply.js";
import { compactDiff } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { editsField, projectPathField, proposalIdField } from "./fields.js";
import { checkFix } from "../src/fixers/check-fix.js";
import { withProjectLock } from "../src/fixers/project-lock.js";
import { newId } from "./session.js";
import type { ToolSession } from "./session.js";

export const ApplyFixInputSchema = z.strictObject({
  projectPath: projectPathField,
  proposalId: proposalIdField,
  edits: editsField,
});

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The apply_fix tool. */
export function createApplyFixTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "apply_fix",
    description:
      "Apply a fix to the project's files, but only if validate_fix's checks pass (otherwise applied=false with the reasons). " +
      "The original bytes are recorded first; the result's applyId undoes the change exactly with rollback_fix. Run the failing " +
      "test afterwards (run_specific_test) to see whether the fix works.",
    schema: ApplyFixInputSchema,
    async run(input) {
      const { projectRoot, edits, proposal } = session.editsFor(input);
      const check = await checkFix(edits, await session.checkDeps(projectRoot));
      if (!check.valid) {
        return JSON.stringify({ applied: false, valid: false, risk: check.risk, reasons: check.reasons, warnings: check.warnings, diff: compactDiff(check.diff) });
      }

      const journal = session.journal();
      const applyId = newId("apply");
      // Held from the write-ahead record to the last check, so no other redgreen changes the files in between.
      return withProjectLock(projectRoot, { workflowId: applyId, command: "apply_fix" }, async () => {
        const originals = await Promise.all(
          check.changes.map(async (c) => {
            const bytes = await readFile((await resolveProjectFile(projectRoot, c.file)).real);
            return { file: c.file, originalBase64: bytes.toString("base64"), originalSha256: sha256(bytes) };
          }),
        );
        // Write-ahead: the originals are on disk before any file changes, so a crash mid-write can be undone.
        journal.begin(applyId, applyId, originals);
        let applied: AppliedEdit[];
        try {
          applied = await applyEdits(projectRoot, edits);
        } catch (e) {
          journal.settle(applyId, applyId, "rolled_back");
          throw e;
        }
        try {
          for (const o of originals) {
            if (applied.find((a) => a.file === o.file)?.originalSha256 !== o.originalSha256) {
              throw new RedgreenError("conflict", `${o.file} changed while the fix was being applied; the fix was undone`);
            }
          }
          for (const c of check.changes) {
            const written = await readFile((await resolveProjectFile(projectRoot, c.file)).real, "utf8");
            if (written !== c.fixed) throw new RedgreenError("internal", `${c.file} as written differs from the validated content; the fix was undone`);
          }
        } catch (e) {
          await restoreEdits(projectRoot, applied);
          journal.settle(applyId, applyId, "rolled_back");
          throw e;
        }
        for (const a of applied) journal.written(applyId, applyId, a.file, a.writtenSha256);
        journal.settle(applyId, applyId, "kept");
        session.appliedRoots.set(applyId, projectRoot);
        return JSON.stringify({
          applied: true,
          applyId,
          ...(proposal !== null ? { proposalId: proposal.id, nodeId: proposal.nodeId } : {}),
          files: check.changes.map((c) => c.file),
          risk: check.risk,
          warnings: check.warnings,
          diff: compactDiff(check.diff),
        });
      });
    },
  });
}
