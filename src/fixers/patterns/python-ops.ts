// Typed wrappers over the pattern ops of redgreen_ops (import_plan, await_sites, ...), each reply validated with zod.
import { z } from "zod";
import type { PythonCaller } from "../../python/client.js";
import { callOp } from "../../python/ops.js";

/** An edit as the Python side plans it (the file is added by the pattern). */
export const PlannedEditSchema = z.object({
  find: z.string(),
  replace: z.string(),
  nearLine: z.number().int().positive(),
});
export type PlannedEdit = z.infer<typeof PlannedEditSchema>;

export const ImportCandidateSchema = z.object({
  module: z.string(),
  name: z.string().nullable(),
  asname: z.string().nullable(),
  /** project-import: how the project already imports it; project: a project definition; stdlib/alias/installed: catalogs. */
  source: z.string(),
  kind: z.string().nullable().optional(),
  evidence: z.number(),
  /** Other unbound names of the file the same statement imports from this module. */
  also: z.array(z.string()).optional(),
});
export type ImportCandidate = z.infer<typeof ImportCandidateSchema>;

/** `import_plan`: ranked places a missing name can come from, and the edit adding the best one. */
export const ImportPlanSchema = z.object({
  candidates: z.array(ImportCandidateSchema),
  chosen: ImportCandidateSchema.nullable(),
  statement: z.string().optional(),
  edit: PlannedEditSchema.optional(),
  where: z.string().optional(),
  reason: z.string(),
  /** Other names the file reads but never binds (first call only): ask again with their catalogs in `also`. */
  others: z.array(z.string()).optional(),
});
export type ImportPlan = z.infer<typeof ImportPlanSchema>;

/** A stdlib/alias candidate the caller passes to `import_plan`. */
export interface CatalogCandidate {
  module: string;
  name: string | null;
  asname?: string | null;
  source: "stdlib" | "alias";
}

export const AwaitSitesSchema = z.object({
  sites: z.array(
    z.object({
      file: z.string(),
      line: z.number().int(),
      function: z.string(),
      call: z.string(),
      callee: z.string().nullable(),
      how: z.string(),
      edit: PlannedEditSchema,
    }),
  ),
  reason: z.string(),
});
export type AwaitSites = z.infer<typeof AwaitSitesSchema>;

export const CommitSitesSchema = z.object({
  sites: z.array(
    z.object({
      file: z.string(),
      function: z.string(),
      line: z.number().int(),
      edit: PlannedEditSchema.nullable(),
      receiver: z.string().optional(),
      method: z.string().optional(),
      reason: z.string(),
    }),
  ),
  visited: z.number().int().optional(),
  /** Why the failing statement of the test checks data read back from the database ("" when it does not). */
  readBack: z.string().default(""),
  reason: z.string(),
});
export type CommitSites = z.infer<typeof CommitSitesSchema>;

export const NoneGuardSchema = z.object({
  edit: PlannedEditSchema.nullable(),
  object: z.string().optional(),
  kind: z.enum(["wrap", "conditional", "condition"]).optional(),
  reason: z.string(),
});
export type NoneGuard = z.infer<typeof NoneGuardSchema>;

/** `constant_guard`: the None test a constant condition stands for, and the edit restoring it. */
export const ConstantGuardSchema = z.object({
  edit: PlannedEditSchema.nullable(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  /** The constant as written (`True`/`False`) and the test that replaces it (`key is None`). */
  constant: z.string().optional(),
  test: z.string().optional(),
  /** How many constant conditions with a fitting name the failure's files hold (the first, nearest the stack, is chosen). */
  candidates: z.number().int().optional(),
  reason: z.string(),
});
export type ConstantGuard = z.infer<typeof ConstantGuardSchema>;

/** `dropped_return`: the value an explicit `return None` dropped, and the edit returning it. */
export const DroppedReturnSchema = z.object({
  edit: PlannedEditSchema.nullable(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  function: z.string().optional(),
  value: z.string().optional(),
  reason: z.string(),
});
export type DroppedReturn = z.infer<typeof DroppedReturnSchema>;

export const NameSuggestionSchema = z.object({
  edit: PlannedEditSchema.nullable(),
  suggestion: z.string().optional(),
  source: z.string().optional(),
  reason: z.string(),
});
export type NameSuggestion = z.infer<typeof NameSuggestionSchema>;

export const AssertionRewriteSchema = z.object({
  edit: PlannedEditSchema.nullable(),
  kind: z.enum(["none-check", "expected-value"]).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  reason: z.string(),
});
export type AssertionRewrite = z.infer<typeof AssertionRewriteSchema>;

/** Where a missing name can be imported from in `file`, and the edit adding the import. */
export const importPlan = (
  helper: PythonCaller,
  args: { file: string; name: string; catalog: CatalogCandidate[]; line?: number; also?: Record<string, CatalogCandidate[]> },
): Promise<ImportPlan> => callOp(helper, "import_plan", args, ImportPlanSchema);

/** Un-awaited calls of project coroutines at a failing line or reachable from the test. */
export const awaitSites = (
  helper: PythonCaller,
  args: {
    file?: string;
    line?: number;
    coroutine?: string;
    test_file?: string;
    test_function?: string;
    test_class?: string;
    include_tests?: boolean;
    frames?: { file: string; line: number; function: string }[];
    discarded_only?: boolean;
  },
): Promise<AwaitSites> => callOp(helper, "await_sites", args, AwaitSitesSchema);

/** Writes without a commit in project functions reachable from the test. */
export const commitSites = (
  helper: PythonCaller,
  args: { test_file: string; test_function: string; test_class?: string; frames?: { file: string; line: number }[]; failing_line?: number },
): Promise<CommitSites> => callOp(helper, "commit_sites", args, CommitSitesSchema);

/** The `is not None` guard for an attribute access on None at file:line. */
export const noneGuard = (
  helper: PythonCaller,
  args: { file: string; line: number; attr: string; allow_tests?: boolean },
): Promise<NoneGuard> => callOp(helper, "none_guard", args, NoneGuardSchema);

/** The None test a constant condition in the failure's project files stands for (frames innermost last). */
export const constantGuard = (
  helper: PythonCaller,
  args: { frames: { file: string; line: number }[]; raised?: { file: string; line: number } | undefined },
): Promise<ConstantGuard> => callOp(helper, "constant_guard", args, ConstantGuardSchema);

/** The value a `return None` dropped in a function called at one of the failing lines (frames innermost last). */
export const droppedReturn = (helper: PythonCaller, args: { frames: { file: string; line: number }[] }): Promise<DroppedReturn> =>
  callOp(helper, "dropped_return", args, DroppedReturnSchema);

/** Python's "Did you mean" for a misspelt name or attribute, and the rename at the line. */
export const nameSuggestion = (
  helper: PythonCaller,
  args: {
    file: string;
    line: number;
    name: string;
    kind: "name" | "attribute" | "class_attribute" | "module_attribute";
    type_name?: string;
    type_module?: string;
    module?: string;
    hint?: string;
    allow_tests?: boolean;
  },
): Promise<NameSuggestion> => callOp(helper, "name_suggestion", args, NameSuggestionSchema);

/** A failing assert rewritten to what the code produced. */
export const assertionRewrite = (helper: PythonCaller, args: { file: string; line: number; message: string }): Promise<AssertionRewrite> =>
  callOp(helper, "assertion_rewrite", args, AssertionRewriteSchema);
