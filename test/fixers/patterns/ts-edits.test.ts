// textEdits: offset-based language-service changes become find/replace edits that applyFix places exactly.
import { describe, expect, it } from "vitest";
import { applyFileEdits as applyAll } from "../../../src/fixers/locate-edit.js";
import { applyTextChanges, textEdits } from "../../../src/fixers/patterns/ts-edits.js";

describe("textEdits", () => {
  it("widens a repeated line until the find text is unique", () => {
    const before = "function a() {\n  return total;\n}\n\nfunction b() {\n  return total;\n}\n";
    const at = before.lastIndexOf("total");
    const after = applyTextChanges(before, [{ file: "x.ts", start: at, length: 5, newText: "totals" }]);
    const edits = textEdits("x.ts", before, after)!;
    expect(edits).toEqual([
      { file: "x.ts", find: "function b() {\n  return total;\n", replace: "function b() {\n  return totals;\n", nearLine: 5 },
    ]);
    expect(applyAll(before, edits)).toBe(after);
  });

  it("keeps distant changes as separate edits that apply bottom-up", () => {
    const body = Array.from({ length: 12 }, (_, i) => `const v${i} = ${i};\n`).join("");
    const before = `import { a } from "./a.js";\n\n${body}export const r = v11 + missing;\n`;
    const after = before
      .replace('import { a } from "./a.js";\n', 'import { a } from "./a.js";\nimport { missing } from "./m.js";\n')
      .replace("v11 + missing", "v11 + missing()");
    const edits = textEdits("x.ts", before, after)!;
    expect(edits).toHaveLength(2);
    expect(applyAll(before, edits)).toBe(after);
  });

  it("keeps CRLF line endings", () => {
    const before = "const a = 1;\r\nconst b = a.totl;\r\n";
    const start = before.indexOf("totl");
    const after = applyTextChanges(before, [{ file: "x.ts", start, length: 4, newText: "total" }]);
    const edits = textEdits("x.ts", before, after)!;
    expect(applyAll(before, edits)).toBe(after);
  });

  it("inserts at the top of a file that starts with a blank line", () => {
    const before = "\nexport const x = y;\n";
    const after = 'import { y } from "./y.js";\n' + before;
    const edits = textEdits("x.ts", before, after)!;
    expect(edits).toHaveLength(1);
    expect(edits[0]!.nearLine).toBe(1);
    expect(applyAll(before, edits)).toBe(after);
  });

  it("keeps insertions at one offset in their given order (TS adds to a multi-line import ending in a comma that way)", () => {
    const before = 'import {\n  basename,\n  formatPrice,\n} from "./index.js";\n';
    const at = before.indexOf(",\n}");
    const changes = [
      { file: "x.ts", start: at, length: 0, newText: "," },
      { file: "x.ts", start: at, length: 0, newText: "\n  parsePrice" },
    ];
    const after = applyTextChanges(before, changes);
    expect(after).toBe('import {\n  basename,\n  formatPrice,\n  parsePrice,\n} from "./index.js";\n');
    // An insertion and a replacement at one offset: the insertion goes first, whatever order they are given in.
    const replaced = { file: "x.ts", start: 0, length: 6, newText: "export" };
    const inserted = { file: "x.ts", start: 0, length: 0, newText: "// top\n" };
    expect(applyTextChanges("import x;\n", [replaced, inserted])).toBe("// top\nexport x;\n");
    expect(applyTextChanges("import x;\n", [inserted, replaced])).toBe("// top\nexport x;\n");
    expect(applyAll(before, textEdits("x.ts", before, after)!)).toBe(after);
  });

  it("applies whole-line insertions at one line in their given order, after the replacements there", () => {
    const text = "a\nb\n";
    const edits = [
      { file: "x.ts", find: "", replace: "one\n", nearLine: 2 },
      { file: "x.ts", find: "b\n", replace: "B\n", nearLine: 2 },
      { file: "x.ts", find: "", replace: "two\n", nearLine: 2 },
    ];
    expect(applyAll(text, edits)).toBe("a\none\ntwo\nB\n");
  });

  it("gives up (null) when nothing changed", () => {
    expect(textEdits("x.ts", "a\n", "a\n")).toBeNull();
  });
});
