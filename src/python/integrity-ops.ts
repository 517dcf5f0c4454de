// Typed wrapper over redgreen_ops/compare_tests.py: how a new version of a test file checks less than the old one.
import { z } from "zod";
import type { CallOptions, PythonCaller } from "./client.js";
import { callOp, sized } from "./ops.js";
import { TestWeakeningSchema } from "../domain/validation.js";

export const TestComparisonSchema = z.object({
  /** False when either version does not parse; weakenings then come from a text comparison. */
  parsed: z.boolean(),
  parseError: z.string().nullable(),
  /** The edit only adds (or extends) import lines. */
  importOnly: z.boolean(),
  /** Why an edit is not import-only (a shadowed name, code beside the import, …), when it is not. */
  notImportOnly: z.string().nullable().optional(),
  weakenings: z.array(TestWeakeningSchema),
});
export type TestComparison = z.infer<typeof TestComparisonSchema>;

/** Compares two versions of a test (or conftest) file. */
export const compareTests = (
  helper: PythonCaller,
  original: string,
  fixed: string,
  filename = "<test>",
  opts?: CallOptions,
): Promise<TestComparison> =>
  callOp(helper, "compare_tests", { original, fixed, filename }, TestComparisonSchema, sized(opts, original, fixed));
