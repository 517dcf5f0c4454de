// The names vitest/jest test files are written in: test functions and hooks, their modifiers, test libraries, matchers,
// and which matcher changes keep what a test checks (read by test-scopes.ts and compareTsTests).

export const TEST_FUNCTIONS = new Set(["test", "it", "describe", "suite", "specify", "context", "bench"]);
export const HOOKS = new Set(["beforeEach", "afterEach", "beforeAll", "afterAll"]);
/** Jasmine-style aliases: the test function and the modifier each stands for. */
export const ALIASES: Record<string, [string, string]> = {
  xit: ["it", "skip"],
  xtest: ["test", "skip"],
  xdescribe: ["describe", "skip"],
  fit: ["it", "only"],
  fdescribe: ["describe", "only"],
};
/** Modifiers that make a test run only sometimes or not at all. */
export const SKIPPING = new Set(["skip", "todo", "skipIf", "runIf", "fails", "failing"]);
/** Names a test file may use without importing them (vitest globals, jest). */
export const TEST_GLOBALS = new Set([
  "expect",
  "test",
  "it",
  "describe",
  "suite",
  "vi",
  "jest",
  "beforeEach",
  "afterEach",
  "beforeAll",
  "afterAll",
  "assert",
  "expectTypeOf",
  "assertType",
]);
/** Modules a test file imports its test functions and assertions from. */
export const TEST_LIBRARIES = new Set([
  "vitest",
  "@jest/globals",
  "bun:test",
  "node:test",
  "node:assert",
  "node:assert/strict",
  "assert",
  "assert/strict",
  "chai",
]);
export const ASSERT_ROOTS = new Set(["assert", "expectTypeOf", "assertType"]);
export const LOOSE_MATCHERS = new Set(["toBeDefined", "toBeTruthy", "toBeFalsy", "toMatchObject", "anything"]);
export const THROW_MATCHERS = new Set(["toThrow", "toThrowError", "toThrowErrorMatchingSnapshot", "toThrowErrorMatchingInlineSnapshot"]);
export const EQUALITY_MATCHERS = new Set(["toBe", "toEqual", "toStrictEqual"]);
// Matcher changes that keep or tighten what is checked ("old>new").
export const ALLOWED_MATCHER_CHANGES = new Set([
  "toBe>toEqual",
  "toBe>toStrictEqual",
  "toEqual>toStrictEqual",
  "toEqual>toBe",
  "toStrictEqual>toBe",
  "toBe>toBeCloseTo",
  "toEqual>toBeCloseTo",
  "toStrictEqual>toBeCloseTo",
  "toBe>toBeNull",
  "toEqual>toBeNull",
  "toBe>toBeUndefined",
  "toEqual>toBeUndefined",
  "toBe>toBeNaN",
  "toThrow>toThrowError",
  "toThrowError>toThrow",
  "toHaveBeenCalled>toHaveBeenCalledWith",
  "toHaveBeenCalled>toHaveBeenCalledTimes",
  "toHaveBeenCalled>toHaveBeenCalledOnce",
  "toContain>toContainEqual",
  "toMatchObject>toEqual",
  "toMatchObject>toStrictEqual",
  // node:assert and chai's assert: the strict variants check more.
  "equal>strictEqual",
  "deepEqual>deepStrictEqual",
  "notEqual>notStrictEqual",
  "notDeepEqual>notDeepStrictEqual",
  "ok>equal",
  "ok>strictEqual",
  "ok>deepEqual",
  "ok>deepStrictEqual",
  "assert>equal",
  "assert>strictEqual",
  "assert>deepStrictEqual",
  "isTrue>equal",
  "isTrue>strictEqual",
]);
export const LOOSE_FROM_ANY = new Set(["ok", "assert", "isOk", "isTrue", "exists", "isDefined", "isNotNull"]);
export const DEFAULT_TIMEOUT_MS = 5000;
export const TIMEOUT_KEYS = new Set(["timeout", "testTimeout", "hookTimeout"]);
export const RETRY_KEYS = new Set(["retry", "retries", "repeats"]);
