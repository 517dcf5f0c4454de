// The contract every registered fix pattern meets, checked on one real case per pattern (like the runner conformance suite).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Failure } from "../../src/domain/failure.js";
import { applyEdits } from "../../src/fixers/apply.js";
import { findPatternFix, patterns, type PatternContext, type PatternId } from "../../src/fixers/patterns/index.js";
import { validateFix, type FixInput } from "../../src/validation/index.js";
import { expectConforming } from "./pattern-harness.js";

/** One pattern's case, opened on a fresh copy of its fixture project. */
export interface OpenedCase {
  root: string;
  failure: Failure;
  /** The pattern context for the case's failure, with the case's switches (test edits allowed only where the pattern needs them). */
  ctx(): PatternContext;
  /** What validateFix needs beyond the texts: the helper, the language service, the runner's test-file rule. */
  validation: Pick<FixInput, "helper" | "typescript" | "isTestFile" | "allowTestEdits">;
  /** After the fix is applied: proves the failure is gone (a real test run, or a clean type check). */
  verify(editedFiles: string[]): Promise<void>;
  close(): Promise<void>;
}

/** A pattern's conformance case: what it fixes, and the other patterns' failures it may also claim (with the reason). */
export interface PatternCase {
  open(): Promise<OpenedCase>;
  /** Other patterns whose case this pattern may also fix (a shared root cause), each with why. */
  alsoFixes?: Partial<Record<PatternId, string>>;
}

/** sha256 of every file under a root (node_modules and caches skipped): proposing must write nothing. */
function treeDigest(root: string): string {
  const hash = createHash("sha256");
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !/(?:^|\/)(?:node_modules|__pycache__|\.pytest_cache|\.redgreen)(?:\/|$)/.test(relative(root, f)))
    .sort();
  for (const f of files) hash.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  return hash.digest("hex");
}

/** Registers the conformance tests for every registered pattern; `cases` must name exactly the registry's patterns. */
export function runPatternConformance(cases: Record<PatternId, PatternCase>): void {
  const ids = Object.keys(patterns) as PatternId[];
  const opened = new Map<PatternId, OpenedCase>();

  describe("pattern conformance", () => {
    beforeAll(async () => {
      for (const id of ids) opened.set(id, await cases[id].open());
    }, 180_000);
    afterAll(async () => {
      for (const c of opened.values()) await c.close();
    });

    it("has one case for each registered pattern, and no case for a pattern that is not registered", () => {
      expect(Object.keys(cases).sort()).toEqual([...ids].sort());
    });

    describe.each(ids)("%s", (id) => {
      it("is registered under its own id, with a strategy and the languages it handles", () => {
        const pattern = patterns[id];
        expect(pattern.id).toBe(id);
        expect(pattern.strategy.length).toBeGreaterThan(0);
        expect(pattern.languages.length).toBeGreaterThan(0);
      });

      it("declines every other pattern's case, and proposing writes nothing", async () => {
        for (const other of ids.filter((x) => x !== id)) {
          const c = opened.get(other)!;
          const before = treeDigest(c.root);
          const found = await findPatternFix(c.ctx(), { only: [id] });
          expect(treeDigest(c.root), `${id} wrote while proposing for ${other}'s case`).toBe(before);
          if (cases[id].alsoFixes?.[other]) continue;
          expect(found?.proposal.edits ?? null, `${id} claimed ${other}'s case`).toBeNull();
        }
      });
    });

    // After every decline check (vitest runs tests in order): each pattern now edits its own case's copy.
    describe.each(ids)("%s on its own case", (id) => {
      it("matches it, proposes a conforming fix, and the fix passes validation and turns the failure green", async () => {
        const c = opened.get(id)!;
        expect(patterns[id].matches(c.ctx().failure, c.ctx().analysis)).toBe(true);
        const found = await findPatternFix(c.ctx(), { only: [id] });
        expect(found?.patternId).toBe(id);
        await expectConforming(c.root, found!);
        const files = [...new Set(found!.proposal.edits.map((e) => e.file))];
        const originals = new Map(files.map((f) => [f, readFileSync(join(c.root, f), "utf8")]));
        await applyEdits(c.root, found!.proposal.edits);
        const testFile = c.failure.testFile;
        for (const file of files) {
          const verdict = await validateFix({
            original: originals.get(file)!,
            fixed: readFileSync(join(c.root, file), "utf8"),
            filePath: file,
            projectRoot: c.root,
            failingTests: [{ nodeId: c.failure.nodeId, file: testFile, source: readFileSync(join(c.root, testFile), "utf8") }],
            ...c.validation,
          });
          expect(verdict.reasons, `${file}: ${verdict.reasons.join("; ")}`).toEqual([]);
          expect(verdict.valid).toBe(true);
        }
        await c.verify(files);
      }, 120_000);
    });
  });
}
