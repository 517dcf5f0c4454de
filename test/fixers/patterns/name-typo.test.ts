// name-typo on a real project: an attribute (instance), a local name, and a module attribute.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("name-typo pattern (fixture: patterns/typo)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("typo");
  });
  afterAll(async () => p?.close());

  it.each([
    ["test_billing.py::test_order_total", "billing/order.py", "        return self.subtotal - self.discount"],
    ["test_billing.py::test_with_tax", "billing/tax.py", "    return round(amount * (1 + rate), 2)"],
    ["test_billing.py::test_invoice_total", "billing/invoice.py", "    return tax.with_tax(order.total())"],
  ])("%s: renames at the failing line in %s", async (nodeId, file, line) => {
    const fix = await p.fix(nodeId);
    expect(fix?.patternId).toBe("name-typo");
    expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file, replace: line })]);
    await p.apply(fix!.proposal);
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(3);
  });
});
