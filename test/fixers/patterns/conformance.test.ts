// Every registered pattern runs the conformance suite on one real case: a Python fixture under real pytest, or a TS fixture.
import { expect } from "vitest";
import { createPatternContext, type PatternId } from "../../../src/fixers/patterns/index.js";
import { jsFailure, openTsCase } from "../../ts-project/ts-case.js";
import {
  cartFormatsALine,
  checkoutTotals,
  profileShowsName,
  receiptPrintsALine,
  shippingCityWithoutAddress,
  type TsFailureSpec,
} from "../../ts-project/ts-failures.js";
import { openPatternProject } from "../pattern-harness.js";
import { runPatternConformance, type PatternCase } from "../pattern-conformance.js";

/** A failing test of a Python pattern fixture; verified by re-running the fixture's suite under real pytest. */
const pythonCase =
  (fixture: string, nodeIdSuffix: string, options: { allowTestEdits?: boolean } = {}): PatternCase["open"] =>
  async () => {
    const p = await openPatternProject(fixture);
    const { failure, analysis } = p.failure(nodeIdSuffix);
    const allowTestEdits = options.allowTestEdits ?? false;
    const isTestFile = (rel: string) => p.adapter.isTestFile(rel);
    return {
      root: p.dir,
      failure,
      ctx: () => createPatternContext({ failure, analysis, projectRoot: p.dir, helper: p.helper, allowTestEdits, isTestFile }),
      validation: { helper: p.helper, isTestFile, allowTestEdits },
      async verify() {
        const after = await p.rerun();
        expect(after.passedNodeIds).toContain(failure.nodeId);
      },
      close: () => p.close(),
    };
  };

/** A vitest-shaped failure on a TS fixture; verified by running the fixed module with node and reading its output. */
const tsCase =
  (fixture: string, spec: TsFailureSpec, check: { script: string; stdout: string }): PatternCase["open"] =>
  async () => {
    const c = openTsCase(fixture);
    const failure = jsFailure(c.root, spec);
    return {
      root: c.root,
      failure,
      ctx: () => c.ctx(failure),
      validation: { typescript: c.project, isTestFile: (rel: string) => /\.test\.ts$/.test(rel), allowTestEdits: false },
      async verify() {
        const ran = await c.run(check.script);
        expect(ran.stderr).toBe("");
        expect(ran.stdout).toBe(check.stdout);
      },
      close: async () => c.close(),
    };
  };

const cases = {
  "missing-import": { open: pythonCase("imports", "test_slug.py::test_slugify_drops_stop_words_and_accents") },
  "missing-await": { open: pythonCase("await", "test_orders.py::test_order_total") },
  "missing-commit": { open: pythonCase("commit", "test_accounts.py::test_account_is_persisted") },
  "name-typo": { open: pythonCase("typo", "test_billing.py::test_order_total") },
  "constant-guard": { open: pythonCase("constant-guard", "test_merge_plain") },
  "dropped-return": { open: pythonCase("dropped-return", "test_valfilter_even") },
  "none-guard": { open: pythonCase("none-guard", "test_crm.py::test_notify_without_user") },
  "wrong-assertion": { open: pythonCase("assertion", "test_ops.py::test_add", { allowTestEdits: true }) },
  "ts-missing-import": {
    open: tsCase("missing-import", cartFormatsALine, {
      script: 'import { cartLine } from "./cart.js"; console.log(cartLine({ name: "tea", cents: 250 }));',
      stdout: "tea: $2.50",
    }),
  },
  "ts-missing-await": {
    open: tsCase("missing-await", profileShowsName, {
      script: 'import { displayName } from "./profile.js"; console.log(await displayName(1));',
      stdout: "Ann",
    }),
  },
  "ts-spelling": {
    open: tsCase("spelling", checkoutTotals, {
      script: 'import { checkoutTotal } from "./checkout.js"; console.log(checkoutTotal([2, 3]));',
      stdout: "5",
    }),
  },
  "ts-undefined-guard": {
    open: tsCase("undefined-guard", shippingCityWithoutAddress, {
      script: 'import { shippingCity } from "./order.js"; console.log(String(shippingCity({ id: 1, notes: null })));',
      stdout: "undefined",
    }),
  },
  "ts-unresolved-name": {
    open: tsCase("unresolved-name", receiptPrintsALine, {
      script: 'import { receiptLine } from "./receipt.js"; console.log(receiptLine("tea", 250));',
      stdout: "tea $2.50",
    }),
  },
} satisfies Record<PatternId, PatternCase>;

runPatternConformance(cases);
