// vitest-shaped failures of the ts-patterns fixtures that more than one test reads (the pattern's own test and the conformance suite).
import type { FrameSpec } from "./ts-case.js";

/** The arguments of jsFailure for one failure. */
export interface TsFailureSpec {
  testFile: string;
  testName: string;
  errorType: string;
  errorMessage: string;
  frames: FrameSpec[];
}

/** ts-patterns/missing-import: `formatPrice` used in src/cart.ts without its import. */
export const cartFormatsALine: TsFailureSpec = {
  testFile: "test/cart.test.ts",
  testName: "cart > formats a line",
  errorType: "ReferenceError",
  errorMessage: "formatPrice is not defined",
  frames: [
    { file: "test/cart.test.ts", line: 6, column: 12, fn: "test/cart.test.ts", kind: "test" },
    { file: "src/cart.ts", line: 4, column: 27, fn: "cartLine", kind: "project" },
  ],
};

/** ts-patterns/missing-await: a promise read as its value, seen only as an assertion in the test. */
export const profileShowsName: TsFailureSpec = {
  testFile: "test/profile.test.ts",
  testName: "profile > shows the user's name",
  errorType: "AssertionError",
  errorMessage: "expected undefined to be 'Ann' // Object.is equality",
  frames: [{ file: "test/profile.test.ts", line: 6, column: 34, fn: "test/profile.test.ts", kind: "test" }],
};

/** ts-patterns/spelling: the misspelt method call `cart.totl()`. */
export const checkoutTotals: TsFailureSpec = {
  testFile: "test/checkout.test.ts",
  testName: "totals",
  errorType: "TypeError",
  errorMessage: "cart.totl is not a function",
  frames: [
    { file: "test/checkout.test.ts", line: 5, column: 10, fn: "test/checkout.test.ts", kind: "test" },
    { file: "src/checkout.ts", line: 6, column: 15, fn: "checkoutTotal", kind: "project" },
  ],
};

/** ts-patterns/undefined-guard: `order.address.city` read with no address. */
export const shippingCityWithoutAddress: TsFailureSpec = {
  testFile: "test/order.test.ts",
  testName: "has no city without an address",
  errorType: "TypeError",
  errorMessage: "Cannot read properties of undefined (reading 'city')",
  frames: [
    { file: "test/order.test.ts", line: 5, column: 10, fn: "test/order.test.ts", kind: "test" },
    { file: "src/order.ts", line: 13, column: 24, fn: "shippingCity", kind: "project" },
  ],
};

/** ts-patterns/unresolved-name: only the test's assertion shows; receiptLine caught the ReferenceError of `formatPrice`. */
export const receiptPrintsALine: TsFailureSpec = {
  testFile: "test/receipt.test.ts",
  testName: "prints a line",
  errorType: "AssertionError",
  errorMessage: "expected 'tea ?' to be 'tea $2.50'",
  frames: [{ file: "test/receipt.test.ts", line: 5, column: 36, fn: "test/receipt.test.ts", kind: "test" }],
};
