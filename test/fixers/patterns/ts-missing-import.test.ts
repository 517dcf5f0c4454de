// ts-missing-import on real TS projects: TypeScript's own import fix, and the cases it must decline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../../src/fixers/apply.js";
import { findPatternFix } from "../../../src/fixers/patterns/index.js";
import { jsFailure, openTsCase, type TsCase } from "../../typescript/ts-case.js";
import { cartFormatsALine } from "../../typescript/ts-failures.js";

describe("ts-missing-import (fixture: ts-patterns/missing-import)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("missing-import");
  });
  afterAll(() => c?.close());

  const failure = () => jsFailure(c.root, cartFormatsALine);

  it("imports the name from the one project module exporting it, with the project's .js specifier", async () => {
    const fix = await findPatternFix(c.ctx(failure()));
    expect(fix?.patternId).toBe("ts-missing-import");
    expect(fix!.proposal.strategy).toBe("add_import");
    expect(fix!.proposal.edits).toEqual([
      {
        file: "src/cart.ts",
        find: 'import type { Item } from "./item.js";\n',
        replace: 'import type { Item } from "./item.js";\nimport { formatPrice } from "./money.js";\n',
        nearLine: 1,
      },
    ]);
    await applyEdits(c.root, fix!.proposal.edits);
    expect(await c.project.diagnostics("src/cart.ts")).toEqual([]);
    const ran = await c.run('import { cartLine, cartTotal } from "./cart.js"; console.log(cartLine({ name: "tea", cents: 250 }), cartTotal([{ name: "a", cents: 5 }]));');
    expect(ran.stdout).toBe("tea: $2.50 $0.05");
  });
});

describe("ts-missing-import without tsconfig (fixture: ts-patterns/import-minimal)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("import-minimal");
  });
  afterAll(() => c?.close());

  it("follows the project's extensionless specifiers, quotes and sorted imports, located by the analysis when no frame is given", async () => {
    const f = jsFailure(c.root, {
      testFile: "test/post.test.ts",
      testName: "builds the path",
      errorType: "ReferenceError",
      errorMessage: "slugify is not defined",
      frames: [],
    });
    const fix = await findPatternFix(
      c.ctx(f, {
        errorType: "ReferenceError",
        errorCategory: "import",
        rootCause: "slugify is not defined",
        suggestedFix: "",
        fileToFix: "src/post.ts",
        lineNumber: 4,
        fixStrategy: "add_import",
        confidence: 0.8,
        groupKey: "g",
      }),
    );
    expect(fix?.patternId).toBe("ts-missing-import");
    expect(fix!.proposal.edits).toEqual([
      { file: "src/post.ts", find: "import { titleCase } from './title'\n", replace: "import { slugify } from './slug'\nimport { titleCase } from './title'\n", nearLine: 1 },
    ]);
  });
});

describe("ts-missing-import declines (fixture: ts-patterns/import-declines)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("import-declines");
  });
  afterAll(() => c?.close());

  const failure = (name: string, line: number, fn: string) =>
    jsFailure(c.root, {
      testFile: "test/receipt.test.ts",
      testName: fn,
      errorType: "ReferenceError",
      errorMessage: `${name} is not defined`,
      frames: [
        { file: "test/receipt.test.ts", line: 5, fn: "test/receipt.test.ts", kind: "test" },
        { file: "src/receipt.ts", line, fn, kind: "project" },
      ],
    });

  it("declines when two project modules export the name", async () => {
    const fixes = await c.project.codeFixes("src/receipt.ts", { fromLine: 2, toLine: 2, fixNames: ["import"] });
    expect(fixes.map((f) => f.description).sort()).toEqual(['Add import from "./legacy-money.js"', 'Add import from "./money.js"']);
    expect(await findPatternFix(c.ctx(failure("formatPrice", 2, "receiptLine")))).toBeNull();
  });

  it("declines when no module exports the name", async () => {
    expect(await findPatternFix(c.ctx(failure("formatTotal", 6, "receiptFooter")))).toBeNull();
  });
});
