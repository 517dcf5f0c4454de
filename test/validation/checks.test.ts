import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonHelper } from "../../src/python/client.js";
import { checkImports } from "../../src/validation/check-imports.js";
import { checkIndentation } from "../../src/validation/check-indentation.js";
import { checkNoSecrets } from "../../src/validation/check-no-secrets.js";
import { checkSizeChange } from "../../src/validation/check-size-change.js";
import { checkSyntax } from "../../src/validation/check-syntax.js";
import { createFixContext } from "../../src/validation/context.js";
import type { FixInput } from "../../src/validation/context.js";
import { estimateFixRisk } from "../../src/validation/estimate-risk.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const projectRoot = fixturePath("validation", "project");
const read = (rel: string): string => readFileSync(join(projectRoot, rel), "utf8");
const calc = read("app/calc.py");
const tabbed = read("app/tabbed.py");

const replaceOnce = (text: string, find: string, replace: string): string => {
  expect(text).toContain(find);
  return text.replace(find, replace);
};

let helper: PythonHelper;
beforeAll(async () => {
  helper = await PythonHelper.start({ python: testPython, projectRoot });
});
afterAll(() => helper.close());

const ctxFor = (fixed: string, over: Partial<FixInput> = {}) =>
  createFixContext({ original: calc, fixed, filePath: "app/calc.py", projectRoot, helper, ...over });

describe("checkSyntax", () => {
  it("passes a file that compiles", async () => {
    expect(await checkSyntax(ctxFor(replaceOnce(calc, "return a + b", "return b + a")))).toEqual({ reasons: [], warnings: [] });
  });

  it("rejects a syntax error with its location", async () => {
    const result = await checkSyntax(ctxFor(replaceOnce(calc, "def add(a, b):", "def add(a, b)")));
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatch(/^syntax: SyntaxError in app\/calc\.py at line 7/);
  });

  it("rejects what only the compiler catches and warns about new syntax warnings", async () => {
    expect((await checkSyntax(ctxFor(calc + "\nreturn RATE\n"))).reasons[0]).toContain("'return' outside function");
    const warned = await checkSyntax(ctxFor(replaceOnce(calc, "if b == 0:", "if b is 0:")));
    expect(warned.reasons).toEqual([]);
    expect(warned.warnings[0]).toMatch(/SyntaxWarning at line 12: "is" with a literal/);
  });

  it("checks JSON files and leaves other file types alone", async () => {
    const json = createFixContext({ original: "{}", fixed: '{"a": 1,}', filePath: "config.json", projectRoot, helper });
    expect((await checkSyntax(json)).reasons[0]).toMatch(/not valid JSON/);
    const txt = createFixContext({ original: "a", fixed: "b(", filePath: "notes.txt", projectRoot, helper });
    expect(await checkSyntax(txt)).toEqual({ reasons: [], warnings: [] });
  });
});

describe("checkSizeChange", () => {
  const numbered = (n: number): string => Array.from({ length: n }, (_, i) => `x${i} = ${i}`).join("\n") + "\n";

  it("passes a one-line change", async () => {
    expect((await checkSizeChange(ctxFor(replaceOnce(calc, "return a + b", "return a - b")))).reasons).toEqual([]);
  });

  it("rejects an oversized rewrite (more than 20 changed lines)", async () => {
    const original = numbered(60);
    const fixed = original.replace(/= (\d+)$/gm, (_m, d: string) => (Number(d) < 25 ? `= ${d} * 2` : `= ${d}`));
    const result = await checkSizeChange(createFixContext({ original, fixed, filePath: "app/data.py", projectRoot, helper }));
    expect(result.reasons).toEqual([expect.stringMatching(/^size: 25 changed lines in app\/data\.py \(at most 20\)/)]);
  });

  it("rejects growth above 50 % and honours configured limits", async () => {
    const original = numbered(10);
    const fixed = original + "y1 = 1\ny2 = 2\ny3 = 3\ny4 = 4\ny5 = 5\ny6 = 6\n";
    const ctx = createFixContext({ original, fixed, filePath: "app/data.py", projectRoot, helper });
    expect((await checkSizeChange(ctx)).reasons).toEqual([expect.stringMatching(/grows by 60% \(10 → 16 lines; at most 50%\)/)]);
    const relaxed = createFixContext({ original, fixed, filePath: "app/data.py", projectRoot, helper, limits: { maxGrowthRatio: 1 } });
    expect((await checkSizeChange(relaxed)).reasons).toEqual([]);
    const strict = createFixContext({ original, fixed, filePath: "app/data.py", projectRoot, helper, limits: { maxChangedLines: 3 } });
    expect((await checkSizeChange(strict)).reasons[0]).toMatch(/6 changed lines .* \(at most 3\)/);
  });

  it("lets a tiny file gain an import (growth within minGrowthLines)", async () => {
    const ctx = createFixContext({
      original: "x = os.getcwd()\n",
      fixed: "import os\nx = os.getcwd()\n",
      filePath: "app/tiny.py",
      projectRoot,
      helper,
    });
    expect((await checkSizeChange(ctx)).reasons).toEqual([]);
  });

  it("rejects a fix that changes nothing", async () => {
    expect((await checkSizeChange(ctxFor(calc))).reasons[0]).toMatch(/does not change/);
  });
});

describe("checkImports", () => {
  it("accepts new imports that resolve in the stdlib, the project, and the venv", async () => {
    const fixed = replaceOnce(
      calc,
      '"""Arithmetic helpers."""\n',
      '"""Arithmetic helpers."""\nimport math\nfrom app.models import make_account\nimport pytest\n',
    );
    const result = await checkImports(ctxFor(fixed));
    expect(result.reasons).toEqual([]);
    expect(result.newDependencies).toEqual(["pytest"]);
    expect(result.warnings).toEqual(["imports: adds a dependency on third-party package pytest"]);
  });

  it("rejects an import that does not resolve", async () => {
    const fixed = replaceOnce(calc, "from app.models import Account\n", "from app.models import Account\nimport numpy_not_here as np\n");
    const result = await checkImports(ctxFor(fixed));
    expect(result.reasons).toEqual([
      "imports: `import numpy_not_here` (line 3) does not resolve in the project's interpreter or inside the project",
    ]);
  });

  it("rejects a name the imported module does not define (project and stdlib)", async () => {
    const fixed = replaceOnce(
      calc,
      "from app.models import Account\n",
      "from app.models import Account, Acount\nfrom collections import DefaultDict\n",
    );
    const result = await checkImports(ctxFor(fixed));
    expect(result.reasons).toEqual([
      "imports: `from app.models import Acount` (line 2): app.models has no 'Acount'",
      "imports: `from collections import DefaultDict` (line 3): collections has no 'DefaultDict'",
    ]);
  });

  it("only warns about an optional import guarded by ImportError, and ignores imports that were already there", async () => {
    const fixed = replaceOnce(
      calc,
      "RATE = 0.05\n",
      "try:\n    import ujson_missing\nexcept ImportError:\n    ujson_missing = None\n\nRATE = 0.05\n",
    );
    const result = await checkImports(ctxFor(fixed));
    expect(result.reasons).toEqual([]);
    expect(result.warnings[0]).toMatch(/guarded by an ImportError handler/);
    expect((await checkImports(ctxFor(replaceOnce(calc, "return a + b", "return a - b")))).reasons).toEqual([]);
  });

  it("resolves relative imports from the file's package", async () => {
    const ok = replaceOnce(calc, "from app.models import Account\n", "from .models import Account, make_account\n");
    expect((await checkImports(ctxFor(ok))).reasons).toEqual([]);
    const bad = replaceOnce(calc, "from app.models import Account\n", "from .modles import Account\n");
    expect((await checkImports(ctxFor(bad))).reasons[0]).toMatch(/`from \.modles import Account` \(line 2\) does not resolve/);
  });
});

describe("checkNoSecrets", () => {
  it("rejects a new AWS key and reports the rule and line, never the value", async () => {
    const key = "AKIA" + "Z7Q3X9M2K4P8W1N6";
    const result = await checkNoSecrets(ctxFor(replaceOnce(calc, "RATE = 0.05\n", `RATE = 0.05\nAWS_KEY = "${key}"\n`)));
    expect(result.reasons).toEqual(["secrets: adds a aws access key id (aws_access_key_id) at line 5 of app/calc.py"]);
    expect(JSON.stringify(result)).not.toContain(key);
  });

  it("does not blame a fix for a secret that was already there", async () => {
    const token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0".repeat(2).slice(0, 36);
    const original = `TOKEN = "${token}"\n\n\ndef f():\n    return 1\n`;
    const fixed = `\n\nTOKEN = "${token}"\n\n\ndef f():\n    return 2\n`;
    const ctx = createFixContext({ original, fixed, filePath: "app/conf.py", projectRoot, helper });
    expect((await checkNoSecrets(ctx)).reasons).toEqual([]);
  });
});

describe("checkIndentation", () => {
  it("passes lines that follow the file's spaces and width", async () => {
    const fixed = replaceOnce(calc, "    return a + b\n", "    if a is None:\n        return b\n    return a + b\n");
    expect(await checkIndentation(ctxFor(fixed))).toEqual({ reasons: [], warnings: [] });
  });

  it("rejects a tab-indented line in a space-indented file", async () => {
    const fixed = replaceOnce(calc, "    return a + b\n", "\tresult = a + b\n\treturn result\n");
    const result = await checkIndentation(ctxFor(fixed));
    expect(result.reasons.join("\n")).toMatch(/does not tokenize|indented with tabs in a file indented with spaces/);
  });

  it("rejects a line mixing tabs and spaces, and spaces in a tab-indented file", async () => {
    const mixed = replaceOnce(calc, "    return a + b\n", "    total = a + b\n  \t  return total\n");
    expect((await checkIndentation(ctxFor(mixed))).reasons.join("\n")).toMatch(/mixes tabs and spaces|does not tokenize/);
    const spaced = replaceOnce(tabbed, "\treturn 0\n", "\tif x is None:\n\t    return None\n\treturn 0\n");
    const ctx = createFixContext({ original: tabbed, fixed: spaced, filePath: "app/tabbed.py", projectRoot, helper });
    expect((await checkIndentation(ctx)).reasons).toEqual(["indentation: line 5 mixes tabs and spaces"]);
    const other = createFixContext({
      original: tabbed,
      fixed: tabbed + "\n\ndef extra(y):\n    return y\n",
      filePath: "app/tabbed.py",
      projectRoot,
      helper,
    });
    expect((await checkIndentation(other)).reasons).toEqual(["indentation: line 8 indented with spaces in a file indented with tabs"]);
  });

  it("rejects a block indented off the file's width", async () => {
    const fixed = replaceOnce(calc, "    return a + b\n", "    if a is None:\n      return b\n    return a + b\n");
    expect((await checkIndentation(ctxFor(fixed))).reasons).toEqual([
      "indentation: line 9 opens a block off the file's indent width of 4 columns",
    ]);
  });
});

describe("estimateFixRisk", () => {
  it("is low for a one-line change, also with an added stdlib import", async () => {
    expect((await estimateFixRisk(ctxFor(replaceOnce(calc, "return a + b", "return a - b")))).risk).toBe("low");
    const withImport = replaceOnce(
      replaceOnce(calc, "return round(total - account.balance, 2)", "return math.floor(total - account.balance)"),
      '"""Arithmetic helpers."""\n',
      '"""Arithmetic helpers."""\nimport math\n',
    );
    expect(await estimateFixRisk(ctxFor(withImport))).toEqual({ risk: "low", factors: ["one line changes"] });
  });

  it("is medium for a multi-line change inside one function", async () => {
    const fixed = replaceOnce(calc, "    return a + b\n", "    if a is None:\n        return b\n    return a + b\n");
    expect(await estimateFixRisk(ctxFor(fixed))).toEqual({ risk: "medium", factors: ["2 lines change"] });
  });

  it("is high for structural changes and new dependencies", async () => {
    const removedGuard = replaceOnce(calc, '    if b == 0:\n        raise ZeroDivisionError("division by zero")\n', "");
    expect((await estimateFixRisk(ctxFor(removedGuard))).factors).toEqual(["removes If from div", "removes Raise from div"]);
    const signature = replaceOnce(calc, "def add(a, b):", "def add(a, b=0):");
    expect(await estimateFixRisk(ctxFor(signature))).toEqual({ risk: "high", factors: ["changes the signature of add"] });
    const dep = replaceOnce(calc, '"""Arithmetic helpers."""\n', '"""Arithmetic helpers."""\nimport pytest\n');
    expect(await estimateFixRisk(ctxFor(dep))).toEqual({ risk: "high", factors: ["new dependency pytest"] });
  });
});

describe("checkSizeChange: deletions", () => {
  const numbered = (n: number): string => Array.from({ length: n }, (_, i) => `x${i} = ${i}`).join("\n") + "\n";

  it("rejects deleting most of a small file, and honours configured shrink limits", async () => {
    const original = numbered(30);
    const fixed = numbered(10);
    const ctx = createFixContext({ original, fixed, filePath: "app/data.py", projectRoot, helper });
    expect((await checkSizeChange(ctx)).reasons).toEqual([
      expect.stringMatching(/^size: app\/data\.py loses 67% of its lines \(30 → 10; at most 50%\)/),
    ]);
    const relaxed = createFixContext({ original, fixed, filePath: "app/data.py", projectRoot, helper, limits: { maxShrinkRatio: 0.8 } });
    expect((await checkSizeChange(relaxed)).reasons).toEqual([]);
  });

  it("lets a fix remove a few lines even from a tiny file", async () => {
    const ctx = createFixContext({ original: numbered(4), fixed: numbered(1), filePath: "app/tiny.py", projectRoot, helper });
    expect((await checkSizeChange(ctx)).reasons).toEqual([]);
  });
});

describe("checkNoSecrets: environment values", () => {
  const env = { PGPASSWORD: "blue-falcon-42", HOME: "/home/dev" };

  it("rejects writing a secret-named variable's value, naming the variable, never the value", async () => {
    const fixed = replaceOnce(calc, "RATE = 0.05\n", 'RATE = 0.05\nFALLBACK = "blue-falcon-42"\n');
    const result = await checkNoSecrets(ctxFor(fixed, { env }));
    expect(result.reasons).toEqual(["secrets: writes the value of environment variable PGPASSWORD at line 5 of app/calc.py"]);
    expect(JSON.stringify(result)).not.toContain("blue-falcon-42");
  });

  it("passes a value that was already there, and values of variables without secret names", async () => {
    const withValue = replaceOnce(calc, "RATE = 0.05\n", 'RATE = 0.05\nFALLBACK = "blue-falcon-42"\n');
    const moved = replaceOnce(withValue, "return a + b", "return b + a");
    expect((await checkNoSecrets(ctxFor(moved, { original: withValue, env }))).reasons).toEqual([]);
    const homeDir = replaceOnce(calc, "RATE = 0.05\n", 'RATE = 0.05\nBASE = "/home/dev"\n');
    expect((await checkNoSecrets(ctxFor(homeDir, { env }))).reasons).toEqual([]);
  });
});
