// estimateFixRisk: low (one line), medium (multi-line), high (logic/structure change, new dependency, test edit).
import type { Risk } from "../domain/validation.js";
import type { FileShape } from "../languages/types.js";
import { checkImports } from "./check-imports.js";
import { checkTestIntegrity } from "./check-test-integrity.js";
import type { FixContext } from "./context.js";
import { diffOf } from "./facts.js";
import { splitLines } from "./line-diff.js";

/** The risk and the facts that decided it. */
export interface RiskEstimate {
  risk: Risk;
  factors: string[];
}

/** One definition of an outline (the Python helper's and outlineTs' share this shape). */
export interface OutlineEntry {
  /** Qualified name, e.g. `Cart.total`. */
  name: string;
  line: number;
  endLine: number;
  /** Text whose change is a signature change. */
  signature: string;
  /** Control-flow constructs in its body, by kind. */
  control: Record<string, number>;
}

/** A file's definitions and its module-level control flow. */
export interface Outline {
  defs: OutlineEntry[];
  moduleControl: Record<string, number>;
}

/** Structural changes between two outlines: definitions added/removed, signatures changed, control flow removed. */
export function structuralChanges(before: Outline, after: Outline): string[] {
  const found: string[] = [];
  const a = new Map(before.defs.map((d) => [d.name, d]));
  const b = new Map(after.defs.map((d) => [d.name, d]));
  for (const name of a.keys()) if (!b.has(name)) found.push(`removes ${name}`);
  for (const name of b.keys()) if (!a.has(name)) found.push(`adds ${name}`);
  const removedFlow = (scope: string, x: Record<string, number>, y: Record<string, number>): void => {
    for (const [kind, n] of Object.entries(x)) if ((y[kind] ?? 0) < n) found.push(`removes ${kind} from ${scope}`);
  };
  for (const [name, old] of a) {
    const now = b.get(name);
    if (!now) continue;
    if (old.signature !== now.signature) found.push(`changes the signature of ${name}`);
    removedFlow(name, old.control, now.control);
  }
  removedFlow("module level", before.moduleControl, after.moduleControl);
  return found;
}

/** Estimates the risk of a fix from the other checks' facts (memoised in the context) and the outline diff. */
export function estimateFixRisk(ctx: FixContext): Promise<RiskEstimate> {
  return ctx.memo("check:risk", async () => {
    const high: string[] = [];
    const [integrity, imports, diff] = await Promise.all([checkTestIntegrity(ctx), checkImports(ctx), diffOf(ctx)]);
    if (integrity.testEdit) high.push("edits a test file");
    for (const dep of imports.newDependencies) high.push(`new dependency ${dep}`);
    const unknown: FileShape = { outline: null, importLines: new Set() };
    const support = ctx.support;
    const [before, after] = support ? await Promise.all([support.shape(ctx, "original"), support.shape(ctx, "fixed")]) : [unknown, unknown];
    if (before.outline && after.outline) high.push(...structuralChanges(before.outline, after.outline));
    const importA = before.importLines;
    const importB = after.importLines;
    if (high.length > 0) return { risk: "high", factors: high };
    const a = splitLines(ctx.original);
    const b = splitLines(ctx.fixed);
    let meaningful = 0;
    for (const h of diff.hunks) {
      let removed = 0;
      let added = 0;
      for (let l = h.oldStart; l < h.oldStart + h.oldCount; l++) if (!importA.has(l) && (a[l - 1] ?? "").trim() !== "") removed++;
      for (let l = h.newStart; l < h.newStart + h.newCount; l++) if (!importB.has(l) && (b[l - 1] ?? "").trim() !== "") added++;
      meaningful += Math.max(removed, added);
    }
    if (meaningful <= 1) return { risk: "low", factors: [meaningful === 0 ? "only imports or blank lines change" : "one line changes"] };
    return { risk: "medium", factors: [`${meaningful} lines change`] };
  });
}
