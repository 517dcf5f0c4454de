// Time budgets of the Python helper's ops: a base per op plus an allowance per KB of the source it is given.
// The one place a helper call's timeout is derived; the client applies it, the typed wrappers pass the input size.

/** How long one op may run: `baseMs`, plus `perKbMs` for every 1,024 characters of source it parses or compares. */
export interface OpBudget {
  baseMs: number;
  perKbMs: number;
}

// Measured on more-itertools' more.py (5,564 lines, 172 KB) through the helper on a loaded 2-core machine: 0.3-0.5 s
// each for parse, list_imports, check_indentation, policy_findings and outline, 1 s for overfit_findings, 0.75 s for
// compare_tests; one candidate's validation pipelines ~12 such calls (4-5 s), which is why a call's clock starts when
// the helper starts it, not when it is queued. The allowances leave ~10x headroom for machines under heavier load.
const SOURCE_OP: OpBudget = { baseMs: 10_000, perKbMs: 40 };
const COMPARE_OP: OpBudget = { baseMs: 10_000, perKbMs: 60 };
// Pattern and symbol ops read project files themselves (the caller does not know how much): a larger flat base.
const PROJECT_OP: OpBudget = { baseMs: 30_000, perKbMs: 0 };

/** Every op of ops_*.py with a budget; other ops (tests' extra modules) get the helper's default timeout. */
export const OP_BUDGETS = {
  parse: SOURCE_OP,
  check_indentation: SOURCE_OP,
  list_imports: SOURCE_OP,
  outline: SOURCE_OP,
  policy_findings: SOURCE_OP,
  overfit_findings: COMPARE_OP,
  compare_tests: COMPARE_OP,
  find_spec: { baseMs: 10_000, perKbMs: 0 },
  resolve_imports: { baseMs: 20_000, perKbMs: 0 },
  // Reads the files it is given itself: callers send batches (IMPORT_GRAPH_BATCH files, well under a second each).
  import_graph: PROJECT_OP,
  stdlib_modules: { baseMs: 10_000, perKbMs: 0 },
  symbols_index: PROJECT_OP,
  import_plan: PROJECT_OP,
  await_sites: PROJECT_OP,
  commit_sites: PROJECT_OP,
  none_guard: PROJECT_OP,
  constant_guard: PROJECT_OP,
  dropped_return: PROJECT_OP,
  name_suggestion: PROJECT_OP,
  assertion_rewrite: PROJECT_OP,
} as const satisfies Record<string, OpBudget>;
export type BudgetedOp = keyof typeof OP_BUDGETS;

/** Overrides of some ops' budgets (a helper's options; tests force a tiny one). */
export type OpBudgetOverrides = Partial<Record<string, OpBudget>>;

/** The timeout of one call of `op` given `inputChars` characters of source; null when the op has no budget. */
export function opTimeoutMs(op: string, inputChars: number, overrides: OpBudgetOverrides = {}): number | null {
  const budget = overrides[op] ?? (Object.hasOwn(OP_BUDGETS, op) ? OP_BUDGETS[op as BudgetedOp] : undefined);
  if (!budget) return null;
  return Math.round(budget.baseMs + (budget.perKbMs * Math.max(0, inputChars)) / 1024);
}
