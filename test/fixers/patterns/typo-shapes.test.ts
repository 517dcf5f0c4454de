// name-typo on the shapes real code misspells: a mangled private, slotted and dataclass fields, methods of builtin
// and stdlib types, augmented assignments; and the globals it must not rename.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nameSuggestion } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("name-typo pattern shapes (fixture: patterns/typo-shapes)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("typo-shapes");
  });
  afterAll(async () => p?.close());

  // Python before 3.10, and reports without the "Did you mean" line, leave the type's own attributes as the only evidence.
  it.each([
    [17, "apend", "deque", "collections", "        recent.append(item)"],
    [22, "most_comon", "Counter", undefined, "    return Counter(words).most_common(1)[0][0]"],
    [6, "updte", "dict", undefined, "    out.update(b)"],
  ])("without Python's hint, line %i: %s on a %s is renamed from the type's attributes", async (line, name, type, module, replace) => {
    const args = { file: "ledger/texts.py", line, name, kind: "attribute", type_name: type } as const;
    const found = await nameSuggestion(p.helper, { ...args, ...(module ? { type_module: module } : {}) });
    expect(found.edit?.replace).toBe(replace);
  });

  it.each([
    [11, "memoo", "Entry", "        self.memo = text"],
    [21, "colour", "Tag", "        self.color = color"],
  ])(
    "attrs slotted classes (read statically, without Python's hint): line %i renames the store of %s to a declared field",
    async (line, name, type, replace) => {
      const found = await nameSuggestion(p.helper, { file: "ledger/records.py", line, name, kind: "attribute", type_name: type });
      expect(found.edit?.replace).toBe(replace);
    },
  );

  it.each([
    ["test_private_total", "ledger/tally.py", "        self.__total = self.__totl + n", "        self.__total = self.__total + n"],
    ["test_deposit", "ledger/tally.py", "        self.balanse += n", "        self.balance += n"],
    ["test_running_total", "ledger/tally.py", "        totl += v", "        total += v"],
    ["test_point", "ledger/shapes.py", "        self.yy = y", "        self.y = y"],
    ["test_restock", "ledger/shapes.py", "        self.quantty = self.quantity + n", "        self.quantity = self.quantity + n"],
    ["test_line_cost", "ledger/shapes.py", "        return self.prise * self.qty", "        return self.price * self.qty"],
    ["test_merged", "ledger/texts.py", "    out.updte(b)", "    out.update(b)"],
    ["test_clean", "ledger/texts.py", "    return text.strp().lower()", "    return text.strip().lower()"],
    ["test_window", "ledger/texts.py", "        recent.apend(item)", "        recent.append(item)"],
    ["test_top_word", "ledger/texts.py", "    return Counter(words).most_comon(1)[0][0]", "    return Counter(words).most_common(1)[0][0]"],
    ["test_zeroed", "ledger/texts.py", "    return OrderedDict.fromkeyz(keys, 0)", "    return OrderedDict.fromkeys(keys, 0)"],
    ["test_relabel", "ledger/records.py", "        self.memoo = text", "        self.memo = text"],
    ["test_paint", "ledger/records.py", "        self.colour = color", "        self.color = color"],
  ])("%s: renames %s as the source spells it", async (test, file, find, replace) => {
    const fix = await p.fix(`test_ledger.py::${test}`);
    expect(fix?.patternId).toBe("name-typo");
    expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file, find, replace })]);
    await p.apply(fix!.proposal);
  });

  it("declines `hits += 1` on a module global: the function lacks a global statement, nothing is misspelt", async () => {
    expect(p.failure("test_ledger.py::test_hit").failure.errorType).toMatch(/UnboundLocalError/);
    expect(await p.fix("test_ledger.py::test_hit")).toBeNull();
  });

  it("ends green under real pytest except the undeclared global", async () => {
    const after = await p.rerun();
    expect(after.failures.map((f) => f.nodeId)).toEqual(["tests/test_ledger.py::test_hit"]);
    expect(after.passed).toBe(13);
  });
});
