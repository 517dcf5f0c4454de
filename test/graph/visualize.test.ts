// The workflow graph's Mermaid text: every node, every edge, every conditional edge labelled, and path highlighting.
import { describe, expect, it } from "vitest";
import { buildGraph } from "../../graph/build.js";
import {
  EDGE_LABELS,
  describeWorkflowGraph,
  drawingOnlyDeps,
  highlightPath,
  mermaidEdges,
  takenEdges,
  workflowMermaid,
} from "../../graph/visualize.js";

describe("workflowMermaid", () => {
  it("draws every node and every edge of the compiled graph, each conditional edge with its condition", async () => {
    const mermaid = await workflowMermaid();
    const drawable = await buildGraph(drawingOnlyDeps()).getGraphAsync();
    for (const id of Object.keys(drawable.nodes)) expect(mermaid).toMatch(new RegExp(`^\\s*${id}\\(`, "m"));

    const drawn = mermaidEdges(mermaid);
    expect(drawn.map((e) => `${e.source}->${e.target}`).sort()).toEqual(drawable.edges.map((e) => `${e.source}->${e.target}`).sort());
    const conditional = drawable.edges.filter((e) => e.conditional);
    expect(conditional.length).toBe(13);
    for (const e of conditional) {
      const label = EDGE_LABELS[`${e.source}->${e.target}`];
      // A new route without a label here would draw as a bare dotted line.
      expect(label, `label for ${e.source}->${e.target}`).toBeDefined();
      expect(mermaid).toContain(`${e.source} -. &nbsp;${label!.split(" ").slice(0, 4).join(" ")}`);
    }
    expect(mermaid).toContain("__start__ --> run_tests;");
    expect(mermaid).toContain("report --> __end__;");
  });

  it("builds the drawing-only graph without services, and refuses to run it", async () => {
    const deps = drawingOnlyDeps();
    expect(() => deps.store).toThrow(/drawing only.*deps\.store/);
  });
});

describe("describeWorkflowGraph", () => {
  it("lists the nodes and edges Mermaid draws, conditional edges with the same labels", async () => {
    const described = await describeWorkflowGraph();
    const mermaid = await workflowMermaid();
    expect(described.nodes).toEqual(
      expect.arrayContaining(["__start__", "run_tests", "analyze", "pattern_fix", "llm_fix", "validate", "report", "__end__"]),
    );
    expect(described.nodes.length).toBe(8);
    expect(described.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual(
      mermaidEdges(mermaid)
        .map((e) => `${e.source}->${e.target}`)
        .sort(),
    );
    expect(described.edges.find((e) => e.source === "__start__")).toEqual({
      source: "__start__",
      target: "run_tests",
      conditional: false,
      label: "",
    });
    expect(described.edges.find((e) => e.source === "run_tests" && e.target === "analyze")).toEqual({
      source: "run_tests",
      target: "analyze",
      conditional: true,
      label: "tests fail",
    });
    expect(described.edges.filter((e) => e.conditional).every((e) => e.label === EDGE_LABELS[`${e.source}->${e.target}`])).toBe(true);
  });
});

describe("highlightPath", () => {
  it("styles the visited nodes, the taken edges (by Mermaid's link index) and the current node", async () => {
    const mermaid = await workflowMermaid();
    const visited = ["__start__", "run_tests", "analyze", "pattern_fix", "validate", "validate", "run_tests", "report"];
    const out = highlightPath(mermaid, { visited, current: "report" });
    expect(out.startsWith(mermaid.trimEnd())).toBe(true);
    expect(out).toContain("class __start__,run_tests,analyze,pattern_fix,validate,report visited;");
    expect(out).toContain("class report current;");
    const edges = mermaidEdges(mermaid);
    const index = (s: string, t: string): number => edges.find((e) => e.source === s && e.target === t)!.index;
    const linkLine = out.split("\n").find((l) => l.includes("linkStyle"))!;
    const styled = linkLine
      .trim()
      .split(" ")[1]!
      .split(",")
      .map(Number)
      .sort((a, b) => a - b);
    const expected = [
      index("__start__", "run_tests"),
      index("run_tests", "analyze"),
      index("analyze", "pattern_fix"),
      index("pattern_fix", "validate"),
      index("validate", "validate"),
      index("validate", "run_tests"),
      index("run_tests", "report"),
    ].sort((a, b) => a - b);
    expect(styled).toEqual(expected);
    expect(takenEdges(visited).has("pattern_fix->llm_fix")).toBe(false);
  });

  it("adds no class or linkStyle lines for an empty path", () => {
    const out = highlightPath("graph TD;\n\ta --> b;\n", { visited: [] });
    expect(out).not.toMatch(/^\s*class /m);
    expect(out).not.toContain("linkStyle");
  });
});
