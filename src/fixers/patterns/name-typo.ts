// name-typo: a misspelt attribute or name → rename it at the failing line to the clear closest defined name.
import type { Failure } from "../../domain/failure.js";
import type { FixProposal } from "../../domain/fix.js";
import { messageHead, raisingFrame, shortType, suggestedName } from "./failure-facts.js";
import { nameSuggestion } from "./python-ops.js";
import type { FixPattern, PatternContext } from "./types.js";

type Lookup =
  | { kind: "name"; name: string }
  | { kind: "attribute" | "class_attribute"; name: string; typeName: string; typeModule?: string }
  | { kind: "module_attribute"; name: string; module: string };

/** What was not found, read from a NameError/AttributeError message. */
export function lookupOf(f: Failure): Lookup | null {
  const type = shortType(f.errorType);
  const msg = messageHead(f);
  if (type === "NameError") {
    const m = /^name '([A-Za-z_]\w*)' is not defined/.exec(msg);
    return m ? { kind: "name", name: m[1]! } : null;
  }
  // `totl += x` in a function: the misspelt name is a local that is read before it is ever assigned.
  if (type === "UnboundLocalError") {
    const m = /^(?:cannot access local variable|local variable) '([A-Za-z_]\w*)'/.exec(msg);
    return m ? { kind: "name", name: m[1]! } : null;
  }
  if (type !== "AttributeError") return null;
  let m = /^module '([\w.]+)' has no attribute '([A-Za-z_]\w*)'/.exec(msg);
  if (m) return { kind: "module_attribute", module: m[1]!, name: m[2]! };
  m = /^type object '([A-Za-z_][\w.]*)' has no attribute '([A-Za-z_]\w*)'/.exec(msg);
  if (m) return { kind: "class_attribute", name: m[2]!, ...typeOf(m[1]!) };
  m = /^'([A-Za-z_][\w.]*)' object has no attribute '([A-Za-z_]\w*)'/.exec(msg);
  if (m && m[1] !== "NoneType") return { kind: "attribute", name: m[2]!, ...typeOf(m[1]!) };
  return null;
}

/** A type as an error prints it: C types carry their module ('collections.deque'), which lets the helper look it up. */
function typeOf(printed: string): { typeName: string; typeModule?: string } {
  const at = printed.lastIndexOf(".");
  return at > 0 ? { typeName: printed.slice(at + 1), typeModule: printed.slice(0, at) } : { typeName: printed };
}

export const nameTypoPattern = {
  id: "name-typo",
  languages: ["python"],
  strategy: "fix_attribute_name",
  matches: (failure) => lookupOf(failure) !== null,
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const lookup = lookupOf(ctx.failure);
    const frame = raisingFrame(ctx.failure, ctx.projectRoot);
    if (!lookup || !frame) return null;
    if ((frame.kind === "test" || ctx.isTestFile(frame.file)) && !ctx.allowTestEdits) return null;
    const hint = suggestedName(ctx.failure, ctx.analysis);
    const found = await nameSuggestion(ctx.helper, {
      file: frame.file,
      line: frame.line,
      name: lookup.name,
      kind: lookup.kind,
      type_name: lookup.kind === "attribute" || lookup.kind === "class_attribute" ? lookup.typeName : undefined,
      type_module: lookup.kind !== "name" && lookup.kind !== "module_attribute" ? lookup.typeModule || undefined : undefined,
      module: lookup.kind === "module_attribute" ? lookup.module : undefined,
      hint: hint || undefined,
      allow_tests: ctx.allowTestEdits,
    });
    if (!found.edit || !found.suggestion) return null;
    const what = lookup.kind === "name" ? "name" : "attribute";
    return {
      source: "pattern",
      strategy: "fix_attribute_name",
      edits: [{ file: frame.file, ...found.edit }],
      explanation:
        `Rename the ${what} \`${lookup.name}\` to \`${found.suggestion}\` at ${frame.file}:${frame.line} (` +
        `${found.source ?? "closest match"}).`,
      confidence: found.source === "Python's own suggestion" ? 0.85 : 0.75,
    };
  },
} satisfies FixPattern;
