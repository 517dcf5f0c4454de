// missing-commit: a project function writes through a session/connection and returns without committing.
import type { FixProposal } from "../../domain/fix.js";
import { failureText, ownFrames, shortType, testTarget } from "./failure-facts.js";
import { commitSites } from "./python-ops.js";
import type { FixPattern, PatternContext } from "./types.js";

// The missing commit usually shows up later: data read back from another session is missing.
const SYMPTOM_TYPES = new Set(["AssertionError", "NoResultFound", "ObjectDeletedError", "IntegrityError"]);
// Failures that are themselves a read that found nothing; any other symptom needs the test's read-back as evidence.
const READ_BACK_TYPES = new Set(["NoResultFound", "ObjectDeletedError"]);
const NONE_RE = /'NoneType' object (?:has no attribute|is not subscriptable|is not iterable)|cannot unpack non-iterable NoneType/;
const MAX_SITES = 3;

export const missingCommitPattern = {
  id: "missing-commit",
  languages: ["python"],
  strategy: "add_commit",
  matches: (failure, analysis) =>
    analysis.fixStrategy === "add_commit" ||
    analysis.errorCategory === "database" ||
    SYMPTOM_TYPES.has(shortType(failure.errorType)) ||
    NONE_RE.test(failureText(failure)),
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const target = testTarget(ctx.failure);
    if (!target || ctx.failure.phase === "collect") return null;
    const own = ownFrames(ctx.failure, ctx.projectRoot);
    const frames = own.filter((f) => f.kind === "project").map((f) => ({ file: f.file, line: f.line }));
    const failingLine = own.filter((f) => f.file === target.testFile).pop()?.line ?? ctx.failure.lineNumber;
    const found = await commitSites(ctx.helper, {
      test_file: target.testFile,
      test_function: target.testFunction,
      test_class: target.testClass || undefined,
      frames,
      failing_line: failingLine ?? undefined,
    });
    // Evidence the failure is about data not persisted: a read that found nothing, or a failing test statement that
    // checks what it read back from the database. An assertion about anything else is not this pattern's.
    const readNothing = READ_BACK_TYPES.has(shortType(ctx.failure.errorType)) || NONE_RE.test(failureText(ctx.failure));
    if (!readNothing && found.readBack === "") return null;
    const sites = found.sites.filter((s) => s.edit !== null && !ctx.isTestFile(s.file)).slice(0, MAX_SITES);
    if (sites.length === 0) return null;
    const what = sites
      .map((s) => `${s.receiver}.commit() after the last ${s.method ?? "write"} in ${s.function} (${s.file}:${s.line})`)
      .join("; ");
    return {
      source: "pattern",
      strategy: "add_commit",
      edits: sites.map((s) => ({ file: s.file, ...s.edit! })),
      explanation:
        `Add ${what}: the function writes but never commits, so the write is rolled back when its session/connection closes and ` +
        `other sessions never see it.`,
      confidence: 0.7,
    };
  },
} satisfies FixPattern;
