// missing-await: a coroutine used without `await` → add `await` at the call inside the project's async def.
// Any error may follow a coroutine called as a bare statement (`self.step()` never runs): that shape is searched
// from the failure's frames whatever the error; other shapes need coroutine misuse in the report or a failed assertion.
import { coroutineName, showsCoroutineValue } from "../../analysis/upstream-cause.js";
import type { FixProposal } from "../../domain/fix.js";
import { failureText, innermostOwnFrame, ownFrames, shortType, testTarget } from "./failure-facts.js";
import { awaitSites } from "./python-ops.js";
import type { FixPattern, PatternContext } from "./types.js";

/** Errors a coroutine left unawaited cannot cause: a name or module that is missing, source that does not parse. */
const UNRELATED_ERRORS = new Set(["NameError", "ImportError", "ModuleNotFoundError", "SyntaxError", "IndentationError", "TabError"]);

export const missingAwaitPattern = {
  id: "missing-await",
  languages: ["python"],
  strategy: "add_await",
  // A fire-and-forget coroutine (`log.record(x)` without await) only shows up as a later assertion failure:
  // its "never awaited" warning is not part of the test's report.
  matches: (failure) =>
    (failure.phase !== "collect" && !UNRELATED_ERRORS.has(shortType(failure.errorType))) || showsCoroutineValue(failureText(failure)),
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const text = failureText(ctx.failure);
    const misuse = showsCoroutineValue(text);
    // Without coroutine misuse in the report, only the calls reachable from the test are searched.
    const frame = misuse ? innermostOwnFrame(ctx.failure, ctx.projectRoot, ctx.allowTestEdits) : null;
    const target = testTarget(ctx.failure);
    const coroutine = coroutineName(text);
    const common = {
      test_file: target?.testFile,
      test_function: target?.testFunction,
      test_class: target?.testClass || undefined,
      include_tests: ctx.allowTestEdits,
    };
    const anyShape = misuse || ctx.analysis.fixStrategy === "add_await" || shortType(ctx.failure.errorType) === "AssertionError";
    const found = anyShape
      ? await awaitSites(ctx.helper, {
          file: frame?.file,
          line: frame?.line,
          coroutine: coroutine || undefined,
          ...common,
        })
      : { sites: [] };
    const frames = ownFrames(ctx.failure, ctx.projectRoot).map((f) => ({ file: f.file, line: f.line, function: f.function }));
    const site = found.sites[0] ?? (await awaitSites(ctx.helper, { ...common, frames, discarded_only: true })).sites[0];
    if (!site) return null;
    if (ctx.isTestFile(site.file) && !ctx.allowTestEdits) return null;
    return {
      source: "pattern",
      strategy: "add_await",
      edits: [{ file: site.file, ...site.edit }],
      explanation:
        `Await \`${site.call.trim()}\` in async def ${site.function} (${site.file}:${site.line}, ${site.how}): ` +
        `${site.callee ?? "the callee"} is a coroutine function, so without \`await\` the caller gets a coroutine object instead ` +
        `of its result.`,
      confidence: site.how === "reachable from the test" ? 0.7 : 0.85,
    };
  },
} satisfies FixPattern;
