// `redgreen graph`: Mermaid text on stdout, and an HTML page that Chromium renders with the network cut off.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { EDGE_LABELS } from "../../graph/visualize.js";
import { artifactsDir, launchBrowser, offlinePage } from "./browser.js";
import { expectOneErrorLine, runCli } from "./run-cli.js";

describe("redgreen graph", () => {
  it("prints the graph as Mermaid text with the conditional edges labelled", async () => {
    const r = await runCli(["graph"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("graph TD;");
    for (const node of ["run_tests", "analyze", "pattern_fix", "llm_fix", "validate", "report"])
      expect(r.stdout).toContain(`\t${node}(${node})`);
    expect(r.stdout).toContain("run_tests -. &nbsp;tests fail&nbsp; .-> analyze;");
    expect(r.stdout).toContain("validate -. &nbsp;next candidate&nbsp; .-> validate;");
    expect(r.stderr).toBe("");
  });

  it("rejects an unknown format with one usage line", async () => {
    const r = await runCli(["graph", "--format", "png"]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(r.stderr, /--format must be mermaid or html, got 'png'/);
  });

  it("writes a self-contained HTML page that renders every node and edge label offline", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "redgreen-graph-")), "graph.html");
    const r = await runCli(["graph", "--format", "html", "-o", out]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`wrote ${out}`);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(statSync(out).size).toBeGreaterThan(1_000_000); // the Mermaid renderer is inlined

    const browser = await launchBrowser();
    try {
      const { page, external, errors } = await offlinePage(browser, { width: 1100, height: 1000 });
      const started = performance.now();
      await page.goto(pathToFileURL(out).href);
      await page.waitForSelector("body[data-rendered]", { timeout: 30_000 });
      const renderMs = performance.now() - started;
      expect(await page.getAttribute("body", "data-rendered")).toBe("yes");
      expect(await page.locator("#diagram svg g.node").count()).toBe(8);
      const labels = (await page.locator("#diagram svg .edgeLabel").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
      for (const label of Object.values(EDGE_LABELS)) expect(labels).toContain(label);
      expect(external).toEqual([]);
      expect(errors).toEqual([]);
      await page.screenshot({ path: join(artifactsDir, "graph.png"), fullPage: true });
      console.log(`graph.html: ${statSync(out).size} bytes, rendered in ${Math.round(renderMs)} ms`);
    } finally {
      await browser.close();
    }
  });
});
