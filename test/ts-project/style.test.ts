// The style code fixes follow, read off real file texts: indentation (JSDoc continuations are not a 1-space indent) and quotes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { formatSettingsFor, indentCharacter, quoteStyle, specifierEndings, specifierQuote } from "../../src/ts-project/style.js";
import { tsFixtures } from "./ts-case.js";

const fixture = (rel: string): string => readFileSync(join(tsFixtures, "real-runner", rel), "utf8");

describe("formatSettingsFor", () => {
  it("reads a 4-space indent under a JSDoc block, whose ` * ` lines are not a 1-space indent", () => {
    const label = fixture("src/label.ts");
    expect(label).toContain("\n * Shelf labels.\n");
    const format = formatSettingsFor(ts, label);
    expect(format).toMatchObject({ indentSize: 4, tabSize: 4, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Remove });
  });

  it("reads tabs under a JSDoc block as tabs", () => {
    const text = "/**\n * Doc.\n */\nexport function f(): number {\n\tif (a) {\n\t\treturn 1;\n\t}\n\treturn 2;\n}\n";
    expect(indentCharacter(text)).toBe("tabs");
    expect(formatSettingsFor(ts, text)).toMatchObject({ convertTabsToSpaces: false, semicolons: ts.SemicolonPreference.Insert });
  });

  it("keeps a 2-space indent", () => {
    expect(formatSettingsFor(ts, fixture("src/paths.ts"))).toMatchObject({ indentSize: 2, tabSize: 2 });
  });
});

describe("quoteStyle", () => {
  it("counts string literals, not quotes inside other strings, comments or templates", () => {
    expect(quoteStyle(ts, [fixture("src/label.ts")])).toBe("single");
    expect(quoteStyle(ts, [fixture("src/stock.ts")])).toBe("double");
    expect(quoteStyle(ts, ["// it's 'x'\nconst a = \"it's\";\nconst b = `'t'`;\n"])).toBe("double");
    expect(quoteStyle(ts, ["export const n = 1;\n"])).toBeNull();
    expect(quoteStyle(ts, ["const a = 'x';\n", 'const b = "y";\nconst c = "z";\n'])).toBe("double");
  });
});

describe("specifierQuote", () => {
  it("reads the quotes of the file's imports, which new imports follow even when its other strings use the other quote", () => {
    const text = 'import { a } from \'./a.js\'\nconst b = require(\'./b\')\nexport const s = ["x", "y", "z"]\n';
    expect(specifierQuote(text)).toBe("single");
    expect(quoteStyle(ts, [text])).toBe("double");
    expect(specifierEndings(text)).toEqual({ js: 1, minimal: 1 });
    expect(specifierQuote(fixture("src/label.ts"))).toBeNull();
    expect(specifierQuote(fixture("src/stock.ts"))).toBe("double");
  });
});
