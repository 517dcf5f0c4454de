// The contract every LanguageSupport meets, checked on equivalent small sources in each language (like the runner suite).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LanguageSupport } from "../../src/languages/index.js";
import { classifyTestPath, createFixContext, type FixContext, type FixInput } from "../../src/validation/index.js";

/** Equivalent sources a language provides: a module with one function, and a test of it. */
export interface LanguageSamples {
  projectRoot: string;
  /** Starts what the checks need beyond the texts (the Python helper, the TS language service). */
  open(): Promise<Pick<FixInput, "helper" | "typescript">>;
  close(): Promise<void> | void;
  module: {
    file: string;
    source: string;
    /** The source with a syntax error. */
    broken: string;
    /** The source importing a module that exists nowhere. */
    badImport: string;
    /** A one-line fix in the function's body. */
    oneLine: string;
    /** The function's parameter list changed (a signature change). */
    signatureChanged: string;
    /** Code that evaluates a string as code (the policy's execution rule). */
    executes: string;
    /** A line indented with tabs in a file indented with spaces. */
    tabbed: string;
    /** Compares the argument to the failing test's input to return its expected output. */
    overfit: string;
  };
  test: {
    file: string;
    nodeId: string;
    source: string;
    /** The test's assertion deleted. */
    assertionDeleted: string;
    /** Only an import added. */
    importAdded: string;
    /** The test with a syntax error. */
    broken: string;
  };
  /** A file holding the settings of the language's test runners, with a coverage threshold in it. */
  testConfig: {
    file: string;
    source: string;
    /** A setting changed that makes the suite check no less (still a test setting edit). */
    changed: string;
    /** The coverage threshold lowered. */
    weakened: string;
  };
}

/** Registers the conformance tests for one language's support. */
export function runLanguageConformance(support: LanguageSupport, samples: LanguageSamples): void {
  describe(`${support.id} language support conformance`, () => {
    let deps: Pick<FixInput, "helper" | "typescript"> = {};
    beforeAll(async () => {
      deps = await samples.open();
    });
    afterAll(() => samples.close());
    const ctx = (original: string, fixed: string, file = samples.module.file): FixContext =>
      createFixContext({
        original,
        fixed,
        filePath: file,
        projectRoot: samples.projectRoot,
        ...deps,
        failingTests: [{ nodeId: samples.test.nodeId, file: samples.test.file, source: samples.test.source }],
      });
    const m = samples.module;

    it("is the support createFixContext picks for its files", () => {
      expect(ctx(m.source, m.source).support).toBe(support);
      expect(ctx(samples.test.source, samples.test.source, samples.test.file).support).toBe(support);
    });

    it("checkSyntax passes the source and rejects the broken version", async () => {
      expect((await support.checkSyntax(ctx(m.source, m.oneLine))).reasons).toEqual([]);
      const broken = await support.checkSyntax(ctx(m.source, m.broken));
      expect(broken.reasons.length).toBeGreaterThan(0);
      expect(broken.reasons[0]).toMatch(/^syntax: /);
    });

    it("checkImports passes a fix adding no import and rejects an import that resolves nowhere", async () => {
      expect(await support.checkImports(ctx(m.source, m.oneLine))).toEqual({ reasons: [], warnings: [], newDependencies: [] });
      const bad = await support.checkImports(ctx(m.source, m.badImport));
      expect(bad.reasons).toHaveLength(1);
      expect(bad.reasons[0]).toMatch(/^imports: .*does not resolve/);
    });

    it("checkIndentation flags a tab-indented line in a space-indented file and passes a fix that follows the file", async () => {
      expect(await support.checkIndentation(ctx(m.source, m.oneLine))).toEqual({ reasons: [], warnings: [] });
      const tabbed = await support.checkIndentation(ctx(m.source, m.tabbed));
      expect([...tabbed.reasons, ...tabbed.warnings].join("\n")).toMatch(/indented with tabs in a file indented with spaces/);
    });

    it("compareTests finds the deleted assertion and calls an added import import-only", async () => {
      const t = samples.test;
      const weakened = await support.compareTests(ctx(t.source, t.assertionDeleted, t.file));
      expect(weakened.parsed).toBe(true);
      expect(weakened.parseNote).toBeNull();
      expect(weakened.importOnly).toBe(false);
      expect(weakened.weakenings.map((w) => w.kind)).toContain("deleted_assert");
      const imported = await support.compareTests(ctx(t.source, t.importAdded, t.file));
      expect(imported).toEqual({ parsed: true, parseNote: null, importOnly: true, weakenings: [] });
    });

    it("compareTests says why it fell back to the text when the new test does not parse", async () => {
      const t = samples.test;
      const broken = await support.compareTests(ctx(t.source, t.broken, t.file));
      expect(broken.parsed).toBe(false);
      expect(broken.parseNote).toMatch(/\S/);
      expect(broken.importOnly).toBe(false);
    });

    it("isTestConfigPath claims its runners' config file, not the module or the test; createFixContext picks it for that file", () => {
      const c = samples.testConfig;
      expect(support.isTestConfigPath(c.file)).toBe(true);
      expect(support.isTestConfigPath(m.file)).toBe(false);
      expect(support.isTestConfigPath(samples.test.file)).toBe(false);
      expect(ctx(c.source, c.source, c.file).testConfigSupport).toBe(support);
      expect(ctx(m.source, m.source).testConfigSupport).toBeNull();
    });

    it("isTestPath claims the test and not the module; classifyTestPath, which the test-file checks ask, follows it", () => {
      expect(support.isTestPath(samples.test.file)).toBe(true);
      expect(support.isTestPath(m.file)).toBe(false);
      expect(classifyTestPath(samples.test.file)).toBe("test");
      expect(classifyTestPath(m.file)).toBeNull();
      expect(classifyTestPath(samples.testConfig.file)).toBe("config");
    });

    it("compareTestConfig sees a changed setting, calls a lowered coverage threshold a weakening, and nothing in no change", async () => {
      const c = samples.testConfig;
      expect(await support.compareTestConfig(ctx(c.source, c.source, c.file))).toMatchObject({ touched: false, weakenings: [] });
      const changed = await support.compareTestConfig(ctx(c.source, c.changed, c.file));
      expect(changed.touched).toBe(true);
      expect(changed.sections.length).toBeGreaterThan(0);
      expect(changed.weakenings).toEqual([]);
      const weakened = await support.compareTestConfig(ctx(c.source, c.weakened, c.file));
      expect(weakened.touched).toBe(true);
      expect(weakened.weakenings.join("\n")).toMatch(/coverage/);
    });

    it(
      "policyFindings sees code execution in the version that adds " + "it and none in the original; null for what does not parse",
      async () => {
        const c = ctx(m.source, m.executes);
        expect(await support.policyFindings(c, "original", false)).toEqual([]);
        const found = await support.policyFindings(c, "fixed", false);
        expect(found?.map((f) => f.rule)).toContain("policy.code_execution");
        expect(await support.policyFindings(ctx(m.source, m.broken), "fixed", false)).toBeNull();
      },
    );

    it("overfitFindings sees a fix fitted to the failing test's input and output, and nothing in a real fix", async () => {
      const honest = await support.overfitFindings(ctx(m.source, m.oneLine), [
        { nodeId: samples.test.nodeId, file: samples.test.file, source: samples.test.source },
      ]);
      expect(honest).not.toBeNull();
      expect(honest!.fixed).toEqual([]);
      const fitted = await support.overfitFindings(ctx(m.source, m.overfit), [
        { nodeId: samples.test.nodeId, file: samples.test.file, source: samples.test.source },
      ]);
      expect(fitted?.fixed.length).toBeGreaterThan(0);
      expect(await support.overfitFindings(ctx(m.source, m.broken), [])).toBeNull();
    });

    it("shape gives the definitions (a signature change shows) and the import lines; no outline for what does not parse", async () => {
      const c = ctx(m.source, m.signatureChanged);
      const [before, after] = await Promise.all([support.shape(c, "original"), support.shape(c, "fixed")]);
      expect(before.outline?.defs.length).toBeGreaterThan(0);
      expect(before.outline?.defs.map((d) => d.name)).toEqual(after.outline?.defs.map((d) => d.name));
      expect(before.outline?.defs.map((d) => d.signature)).not.toEqual(after.outline?.defs.map((d) => d.signature));
      expect([...before.importLines]).toEqual([1]);
      expect((await support.shape(ctx(m.source, m.broken), "fixed")).outline).toBeNull();
    });
  });
}
