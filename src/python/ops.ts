// The helper's op table: every op the redgreen_ops package serves, with its time budget, and the one way TypeScript calls an op.
// A budget is a base per op plus an allowance per KB of the source it is given; the client applies it, callers pass the size.
import { z } from "zod";
import { RedgreenError } from "../domain/errors.js";
import type { CallOptions, PythonCaller } from "./client.js";

/** How long one op may run: `baseMs`, plus `perKbMs` for every 1,024 characters of source it parses or compares. */
export interface OpBudget {
  baseMs: number;
  perKbMs: number;
}

/** One op of the table: the redgreen_ops module serving it and its time budget. */
export interface OpSpec {
  module:
    | "assertion_rewrite"
    | "await_sites"
    | "commit_sites"
    | "compare_tests"
    | "constant_guard"
    | "deps"
    | "dropped_return"
    | "import_graph"
    | "import_plan"
    | "imports"
    | "indentation"
    | "name_suggestion"
    | "none_guard"
    | "outline"
    | "overfit"
    | "parse"
    | "policy"
    | "resolve"
    | "warm";
  budget: OpBudget;
}

// Measured on more-itertools' more.py (5,564 lines, 172 KB) through the helper on a loaded 2-core machine: 0.3-0.5 s
// each for parse, list_imports, check_indentation, policy_findings and outline, 1 s for overfit_findings, 0.75 s for
// compare_tests; one candidate's validation pipelines ~12 such calls (4-5 s), which is why a call's clock starts when
// the helper starts it, not when it is queued. The allowances leave ~10x headroom for machines under heavier load.
const SOURCE_OP: OpBudget = { baseMs: 10_000, perKbMs: 40 };
const COMPARE_OP: OpBudget = { baseMs: 10_000, perKbMs: 60 };
const LOOKUP_OP: OpBudget = { baseMs: 10_000, perKbMs: 0 };
// Pattern and symbol ops read project files themselves (the caller does not know how much): a larger flat base.
const PROJECT_OP: OpBudget = { baseMs: 30_000, perKbMs: 0 };

/** Every op the helper serves besides its own `ping` and `version` (test/python/op-table.test.ts holds both sides to it). */
export const OPS = {
  parse: { module: "parse", budget: SOURCE_OP },
  check_indentation: { module: "indentation", budget: SOURCE_OP },
  list_imports: { module: "imports", budget: SOURCE_OP },
  outline: { module: "outline", budget: SOURCE_OP },
  find_spec: { module: "resolve", budget: LOOKUP_OP },
  resolve_imports: { module: "resolve", budget: { baseMs: 20_000, perKbMs: 0 } },
  // Reads the files it is given itself: callers send batches (IMPORT_GRAPH_BATCH files, well under a second each).
  import_graph: { module: "import_graph", budget: PROJECT_OP },
  stdlib_modules: { module: "resolve", budget: LOOKUP_OP },
  declared_dependencies: { module: "deps", budget: PROJECT_OP },
  compare_tests: { module: "compare_tests", budget: COMPARE_OP },
  policy_findings: { module: "policy", budget: SOURCE_OP },
  overfit_findings: { module: "overfit", budget: COMPARE_OP },
  import_plan: { module: "import_plan", budget: PROJECT_OP },
  await_sites: { module: "await_sites", budget: PROJECT_OP },
  commit_sites: { module: "commit_sites", budget: PROJECT_OP },
  none_guard: { module: "none_guard", budget: PROJECT_OP },
  constant_guard: { module: "constant_guard", budget: PROJECT_OP },
  dropped_return: { module: "dropped_return", budget: PROJECT_OP },
  name_suggestion: { module: "name_suggestion", budget: PROJECT_OP },
  assertion_rewrite: { module: "assertion_rewrite", budget: PROJECT_OP },
  // Stops itself after the budget it is given (PythonHelper.warm), far below this one.
  warm: { module: "warm", budget: LOOKUP_OP },
} as const satisfies Record<string, OpSpec>;
export type OpName = keyof typeof OPS;

/** Overrides of some ops' budgets (a helper's options; tests force a tiny one). */
export type OpBudgetOverrides = Partial<Record<string, OpBudget>>;

/** The timeout of one call of `op` given `inputChars` characters of source; null for an op outside the table (tests' extra modules). */
export function opTimeoutMs(op: string, inputChars: number, overrides: OpBudgetOverrides = {}): number | null {
  const budget = overrides[op] ?? (Object.hasOwn(OPS, op) ? OPS[op as OpName].budget : undefined);
  if (!budget) return null;
  return Math.round(budget.baseMs + (budget.perKbMs * Math.max(0, inputChars)) / 1024);
}

/** The call's options with the size of the sources it sends, which its time budget grows with. */
export const sized = (opts: CallOptions | undefined, ...sources: readonly string[]): CallOptions => ({
  inputChars: sources.reduce((n, s) => n + s.length, 0),
  ...opts,
});

/**
 * Calls an op of the table and checks its reply against `reply`: the only way TypeScript calls the helper. A reply of
 * another shape (the two sides out of step) is an internal error naming the op, never a bare ZodError.
 */
export async function callOp<S extends z.ZodType>(
  helper: PythonCaller,
  op: OpName,
  args: object,
  reply: S,
  opts?: CallOptions,
): Promise<z.infer<S>> {
  const parsed = reply.safeParse(await helper.call<unknown>(op, args, opts));
  if (!parsed.success)
    throw new RedgreenError("internal", `python helper op "${op}" returned an unexpected shape: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
