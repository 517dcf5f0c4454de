// pattern_fix: asks the deterministic CommonFixPatterns for each failure group; the rest goes to the LLM queue.
import { readFile } from "node:fs/promises";
import { findPatternFix, patterns } from "../../src/fixers/patterns/index.js";
import type { PatternFix, PatternId } from "../../src/fixers/patterns/index.js";
import { resolveProjectFile } from "../../src/fixers/apply.js";
import { languageServicesOf } from "../../src/languages/services.js";
import type { WorkflowDeps } from "../deps.js";
import type { Candidate, WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { patchSignature } from "../../src/proof/index.js";
import { announce, lastFailures } from "./shared.js";

/** Reads a project file through the same path checks as edits. */
export const projectReader =
  (projectRoot: string) =>
  async (rel: string): Promise<string> =>
    readFile((await resolveProjectFile(projectRoot, rel)).real, "utf8");

/** Builds the pattern_fix node. */
export const patternFixNode =
  (deps: WorkflowDeps) =>
  async (state: WorkflowStateValue): Promise<WorkflowStateUpdate> => {
    const failures = lastFailures(deps, state);
    const candidates: Candidate[] = [];
    const llmQueue: string[] = [];
    const readFileFn = projectReader(state.projectRoot);
    for (const group of state.groups) {
      const failure = failures.get(group.nodeIds[0]!);
      if (failure === undefined) continue;
      const ctx = {
        failure,
        analysis: group.analysis,
        projectRoot: state.projectRoot,
        ...languageServicesOf(deps),
        readFile: readFileFn,
        allowTestEdits: deps.options.allowTestEdits,
        isTestFile: (rel: string) => deps.adapter.isTestFile(rel),
        importCatalogs: deps.importCatalogs,
      };
      // Patterns in registry order; one whose proposal was already tried (and failed) gives way to the next.
      let found: PatternFix | null = null;
      for (const id of Object.keys(patterns) as PatternId[]) {
        const fix = await findPatternFix(ctx, { only: [id] });
        if (fix && !state.triedSignatures.includes(patchSignature(fix.proposal.edits))) {
          found = fix;
          break;
        }
      }
      const signature = found ? patchSignature(found.proposal.edits) : "";
      if (found && !candidates.some((c) => c.signature === signature)) {
        candidates.push({ groupKey: group.groupKey, nodeIds: group.nodeIds, proposal: found.proposal, signature });
      } else if (found && candidates.some((c) => c.signature === signature)) {
        // Another group's fix is the same edit (e.g. one missing import behind two error sites): it covers this group too.
        const same = candidates.find((c) => c.signature === signature)!;
        same.nodeIds = [...same.nodeIds, ...group.nodeIds];
      } else {
        llmQueue.push(group.groupKey);
      }
    }
    const capped = candidates.slice(0, deps.options.maxCandidatesPerIteration);
    announce(
      deps,
      "pattern_fix",
      state.iteration,
      `${capped.length} pattern fix(es) proposed` + (llmQueue.length ? `, ${llmQueue.length} group(s) left for the LLM` : ""),
    );
    return { candidates: capped, llmQueue };
  };
