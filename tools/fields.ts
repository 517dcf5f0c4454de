// Zod fields shared by several tool schemas: every one carries the description models and MCP clients read.
import { z } from "zod";

/** The project a call works in. */
export const projectPathField = z
  .string()
  .min(1)
  .optional()
  .describe("Project root to work in: absolute, or relative to the default project. Omit to use the default project.");

/** The test runner's own arguments, allow-listed (src/runners/runner-args.ts). */
export const runnerArgsField = z
  .array(z.string().min(1).max(1000))
  .max(50)
  .optional()
  .describe(
    'Arguments for the test runner on every run, e.g. ["-k", "smoke"] or ["-m", "not slow"]. Allowed: pytest -k -m -n --dist ' +
      "--deselect --ignore " +
      "--ignore-glob -W --runxfail --strict-markers --import-mode and paths/node ids inside the project; vitest -t --project --pool " +
      "--maxWorkers and file filters; jest -t --testPathPattern(s) --selectProjects -w -i and path patterns. Anything else (plugins, " +
      "config files, reports, --lf, -x, coverage, paths outside the project) is refused. A green then covers only the selected tests.",
  );

/** A failing test, as run_tests reported it. */
export const nodeIdField = z
  .string()
  .min(1)
  .describe(
    "The failing test's node id as run_tests reported it (e.g. tests/test_cart.py::test_total, tests/cart.test.ts::cart > " +
      "totals); a bare test name works when it is unique.",
  );

/** The stored run holding a failure. */
export const runIdField = z
  .number()
  .int()
  .positive()
  .optional()
  .describe(
    "runId of the stored test run holding the failure (from run_tests or parse_test_output). Omit to use the newest stored run of " +
      "the project that has this failure.",
  );

/** One text edit in a project file. */
export const EditInputSchema = z.strictObject({
  file: z.string().min(1).describe("File to edit, relative to the project root."),
  find: z.string().describe("Exact text currently in the file to replace (a few whole lines); empty string to insert at nearLine."),
  replace: z.string().describe("The new text that replaces `find`."),
  nearLine: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("1-based line near which `find` occurs; picks the right one when the text repeats."),
});

/** The edits of a fix, given inline. */
export const editsField = z
  .array(EditInputSchema)
  .min(1)
  .max(20)
  .optional()
  .describe("The fix as text edits. Give either edits or proposalId.");

/** A fix proposed earlier in this session. */
export const proposalIdField = z
  .string()
  .min(1)
  .optional()
  .describe("proposalId returned by find_pattern_fix or generate_llm_fix. Give either proposalId or edits.");
