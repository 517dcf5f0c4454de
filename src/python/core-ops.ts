// Typed wrappers over the core ops of redgreen_ops (parse, indentation, imports, resolve, outline), replies checked with zod.
import { z } from "zod";
import type { CallOptions, PythonCaller } from "./client.js";
import { callOp, sized } from "./ops.js";

/** `parse`: the source compiles, or where and why it does not. */
export const ParseResultSchema = z.union([
  z.object({
    ok: z.literal(true),
    warnings: z.array(z.object({ category: z.string(), msg: z.string(), line: z.number().int().nullable() })),
  }),
  z.object({
    ok: z.literal(false),
    error: z.string(),
    msg: z.string(),
    line: z.number().int().nullable(),
    col: z.number().int().nullable(),
    endLine: z.number().int().nullable().optional(),
    text: z.string().optional(),
  }),
]);
export type ParseResult = z.infer<typeof ParseResultSchema>;

/** `check_indentation`: tabs vs spaces, indent width, and the lines that break the file's convention. */
export const IndentationReportSchema = z.union([
  z.object({
    ok: z.literal(true),
    style: z.enum(["spaces", "tabs", "mixed", "none"]),
    width: z.number().int().nullable(),
    tabLines: z.number().int(),
    spaceLines: z.number().int(),
    /** Lines whose own indentation mixes tabs and spaces. */
    mixedLines: z.array(z.number().int()),
    /** Lines indented with the less common of tabs/spaces. */
    minorityLines: z.array(z.number().int()),
    /** Lines opening a block with a step that is not a multiple of the width. */
    oddStepLines: z.array(z.number().int()),
    /** [line, indent text] of every indented logical line. */
    lines: z.array(z.tuple([z.number().int(), z.string()])),
    /** [line, columns added] of every block opening. */
    steps: z.array(z.tuple([z.number().int(), z.number().int()])),
  }),
  z.object({ ok: z.literal(false), error: z.string(), msg: z.string(), line: z.number().int().nullable() }),
]);
export type IndentationReport = z.infer<typeof IndentationReportSchema>;

/** One import statement as `list_imports` reports it. */
export const ImportStatementSchema = z.object({
  kind: z.enum(["import", "from"]),
  /** Dotted module; null for `from . import x`. */
  module: z.string().nullable(),
  level: z.number().int().nonnegative(),
  /** [name, asname] pairs of a from-import. */
  names: z.array(z.tuple([z.string(), z.string().nullable()])),
  asname: z.string().nullable(),
  line: z.number().int(),
  endLine: z.number().int(),
  /** Inside a try whose handlers catch ImportError (an optional dependency). */
  guarded: z.boolean(),
  scope: z.enum(["module", "function", "class"]),
});
export type ImportStatement = z.infer<typeof ImportStatementSchema>;

export const ListImportsResultSchema = z.union([
  z.object({ ok: z.literal(true), imports: z.array(ImportStatementSchema) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ListImportsResult = z.infer<typeof ListImportsResultSchema>;

export const ModuleLocationSchema = z.enum(["project", "stdlib", "builtin", "site-packages", "other"]);
export type ModuleLocation = z.infer<typeof ModuleLocationSchema>;

/** Whether a module resolves and where it lives: what `find_spec` and `resolve_imports` both answer first. */
const ModuleFoundSchema = z.object({
  module: z.string(),
  found: z.boolean(),
  location: ModuleLocationSchema.nullable(),
  origin: z.string().nullable(),
});

/** `find_spec`: whether a module resolves and where it lives. */
export const ModuleSpecSchema = ModuleFoundSchema.extend({ isPackage: z.boolean() });
export type ModuleSpec = z.infer<typeof ModuleSpecSchema>;

/** One entry of `resolve_imports`. */
export const ImportResolutionSchema = ModuleFoundSchema.extend({
  /** Names of a from-import that the module does not define (only when checkedNames). */
  missingNames: z.array(z.string()),
  checkedNames: z.boolean(),
});
export type ImportResolution = z.infer<typeof ImportResolutionSchema>;

/** `import_graph`: per project-relative Python file, the project files its imports execute and its star imports' targets. */
export const ImportGraphSchema = z.object({
  files: z.record(z.string(), z.object({ imports: z.array(z.string()), star: z.array(z.string()), error: z.string().optional() })),
});
export type ImportGraph = z.infer<typeof ImportGraphSchema>;
export type ImportGraphEntry = ImportGraph["files"][string];

/** One definition of `outline`: qualified name, line range and a digest of its signature. */
export const OutlineDefSchema = z.object({
  name: z.string(),
  kind: z.enum(["class", "function", "async"]),
  line: z.number().int(),
  endLine: z.number().int(),
  signature: z.string(),
  /** Control-flow statements in its own body, by AST node type. */
  control: z.record(z.string(), z.number().int()),
});
export type OutlineDef = z.infer<typeof OutlineDefSchema>;

export const OutlineResultSchema = z.union([
  z.object({ ok: z.literal(true), defs: z.array(OutlineDefSchema), moduleControl: z.record(z.string(), z.number().int()) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type OutlineResult = z.infer<typeof OutlineResultSchema>;

/** Compiles a source string with the project's interpreter. */
export const parseSource = (helper: PythonCaller, source: string, filename = "<unknown>", opts?: CallOptions): Promise<ParseResult> =>
  callOp(helper, "parse", { source, filename }, ParseResultSchema, sized(opts, source));

/** Tokenizes a source string and reports its indentation convention. */
export const checkIndentationOf = (helper: PythonCaller, source: string, opts?: CallOptions): Promise<IndentationReport> =>
  callOp(helper, "check_indentation", { source }, IndentationReportSchema, sized(opts, source));

/** Lists every import statement of a source string. */
export const listImports = (helper: PythonCaller, source: string, filename = "<unknown>", opts?: CallOptions): Promise<ListImportsResult> =>
  callOp(helper, "list_imports", { source, filename }, ListImportsResultSchema, sized(opts, source));

/** Whether a module resolves in the project's interpreter (or inside the project); `file` adds pytest's rootdir path. */
export const findSpec = (helper: PythonCaller, module: string, file?: string, opts?: CallOptions): Promise<ModuleSpec> =>
  callOp(helper, "find_spec", { module, file: file ?? null }, ModuleSpecSchema, opts);

/** Resolves a batch of imports written in `file` (project-relative; needed for relative imports). */
export const resolveImports = async (
  helper: PythonCaller,
  imports: Array<Pick<ImportStatement, "module" | "level" | "names">>,
  file?: string,
  opts?: CallOptions,
): Promise<ImportResolution[]> =>
  (await callOp(helper, "resolve_imports", { imports, file: file ?? null }, z.object({ results: z.array(ImportResolutionSchema) }), opts))
    .results;

/** The static import edges of project files (read from disk by the helper, parsed, never run). */
export const importGraph = (helper: PythonCaller, files: readonly string[], opts?: CallOptions): Promise<ImportGraph> =>
  callOp(helper, "import_graph", { files }, ImportGraphSchema, opts);

/** Definitions and control-flow counts of a source string. */
export const outlineSource = (helper: PythonCaller, source: string, filename = "<unknown>", opts?: CallOptions): Promise<OutlineResult> =>
  callOp(helper, "outline", { source, filename }, OutlineResultSchema, sized(opts, source));

/** The interpreter's top-level stdlib module names. */
export const stdlibModules = (helper: PythonCaller, opts?: CallOptions): Promise<string[]> =>
  callOp(helper, "stdlib_modules", {}, z.array(z.string()), opts);
