// Failure and StackFrame: one failing test (or collection error) in structured form.
import { z } from "zod";

export const StackFrameSchema = z.object({
  /** Path as reported; relative to the project root when inside it, absolute otherwise. */
  file: z.string(),
  line: z.number().int(),
  /** 1-based column when the runner reports one (V8 stacks do; Python tracebacks do not). */
  column: z.number().int().optional(),
  function: z.string(),
  /** The source line text when known. */
  code: z.string().optional(),
  /** Where the frame lives: the project's own code, a test file, an installed package, or the stdlib. */
  kind: z.enum(["project", "test", "library", "stdlib"]).optional(),
});
export type StackFrame = z.infer<typeof StackFrameSchema>;

export const FailurePhaseSchema = z.enum(["setup", "call", "teardown", "collect"]);
export type FailurePhase = z.infer<typeof FailurePhaseSchema>;

export const FailureSchema = z.object({
  nodeId: z.string(),
  testFile: z.string(),
  testName: z.string(),
  errorType: z.string(),
  errorMessage: z.string(),
  stackTrace: z.string(),
  // Described in the schema itself, so the published JSON Schema (schemas/) carries the meaning too.
  lineNumber: z
    .number()
    .int()
    .nullable()
    .describe(
      "The failing line in testFile: the deepest frame in the test file (the assertion, or the call into the code that raised); " +
        "null when no frame is in the test file. Always a line of testFile.",
    ),
  faultFile: z
    .string()
    .nullable()
    .default(null)
    .describe("The fault's file: the deepest frame in the project's own code (a source file, or the test file when it raised there)."),
  faultLine: z.number().int().nullable().default(null).describe("The fault's line in faultFile; null when faultFile is."),
  frames: z.array(StackFrameSchema),
  phase: FailurePhaseSchema,
  durationSeconds: z.number().nonnegative(),
  /** Python's own "Did you mean: 'x'?" suggestion, computed from the exception object when available. */
  hint: z.string().optional(),
  /** Captured stdout/stderr, cut to a limit. */
  capturedOutput: z.string().optional(),
  /** Chained exceptions, outermost last, as "Type: message" lines. */
  chain: z.array(z.object({ errorType: z.string(), errorMessage: z.string() })).optional(),
});
export type Failure = z.infer<typeof FailureSchema>;
