// ts-missing-import on real TS projects: TypeScript's own import fix, and the cases it must decline.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../../src/fixers/apply.js";
import { findPatternFix } from "../../../src/fixers/patterns/index.js";
import { jsFailure, openTsCase, type TsCase } from "../../ts-project/ts-case.js";
import { cartFormatsALine } from "../../ts-project/ts-failures.js";

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
    const ran = await c.run(
      'import { cartLine, cartTotal } from "./cart.js"; console.log(cartLine({ name: "tea", cents: 250 }), cartTotal([{ name: ' +
        '"a", cents: 5 }]));',
    );
    expect(ran.stdout).toBe("tea: $2.50 $0.05");
  });
});

describe("ts-missing-import without tsconfig (fixture: ts-patterns/import-minimal)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("import-minimal");
  });
  afterAll(() => c?.close());

  it(
    "follows the project's extensionless specifiers, quotes and " + "sorted imports, located by the analysis when no frame is given",
    async () => {
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
        {
          file: "src/post.ts",
          find: "import { titleCase } from './title'\n",
          replace: "import { slugify } from './slug'\nimport { titleCase } from './title'\n",
          nearLine: 1,
        },
      ]);
    },
  );
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

describe("ts-missing-import when only Node builtins tie (fixture: ts-patterns/import-documented)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("import-documented");
  });
  afterAll(() => c?.close());

  const failure = (root: string) =>
    jsFailure(root, {
      testFile: "test/mappings.test.js",
      testName: "encodes the mappings",
      errorType: "ReferenceError",
      errorMessage: "encode is not defined",
      frames: [
        { file: "test/mappings.test.js", line: 6, column: 10, fn: "test/mappings.test.js", kind: "test" },
        { file: "src/mappings.js", line: 11, column: 71, fn: "sourceMap", kind: "project" },
      ],
    });

  it("imports the name as the README of the declared package writes it, not from punycode or querystring", async () => {
    const offered = await c.project.codeFixes("src/mappings.js", { fixNames: ["import"] });
    expect(offered.map((f) => f.description).sort()).toEqual(['Add import from "node:punycode"', 'Add import from "node:querystring"']);
    const fix = await findPatternFix(c.ctx(failure(c.root)));
    expect(fix?.patternId).toBe("ts-missing-import");
    expect(fix!.proposal.edits).toEqual([
      {
        file: "src/mappings.js",
        find: 'import { relative } from "node:path";\n',
        replace: 'import { relative } from "node:path";\nimport { encode } from "@jridgewell/sourcemap-codec";\n',
        nearLine: 3,
      },
    ]);
    expect(fix!.proposal.explanation).toContain('README of "@jridgewell/sourcemap-codec"');
    await applyEdits(c.root, fix!.proposal.edits);
    expect(await c.project.diagnostics("src/mappings.js")).toEqual([]);
  });

  it("declines when the project does not declare the package (a tie between builtins stays a guess)", async () => {
    const copy = openTsCase("import-documented");
    try {
      writeFileSync(join(copy.root, "package.json"), '{ "name": "ts-import-documented", "private": true, "type": "module" }\n');
      expect(await findPatternFix(copy.ctx(failure(copy.root)))).toBeNull();
    } finally {
      copy.close();
    }
  });
});
