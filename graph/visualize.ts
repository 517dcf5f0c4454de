// Views of the workflow graph: its structure as data and as Mermaid text (conditional edges labelled), and a run's path on it.
import { RedgreenError } from "../src/domain/errors.js";
import { buildGraph } from "./build.js";
import type { WorkflowGraph } from "./build.js";
import type { WorkflowDeps } from "./deps.js";

/** Why each conditional edge is taken: the conditions of graph/routes.ts in words, keyed "source->target". */
export const EDGE_LABELS: Readonly<Record<string, string>> = {
  "run_tests->analyze": "tests fail",
  "run_tests->report": "green, stuck or cap reached",
  "analyze->pattern_fix": "failures grouped",
  "analyze->report": "nothing to analyse",
  "pattern_fix->llm_fix": "groups without a pattern",
  "pattern_fix->validate": "pattern fixes only",
  "pattern_fix->report": "no fix proposed",
  "llm_fix->validate": "fixes proposed",
  "llm_fix->run_tests": "model answer unusable: ask again",
  "llm_fix->report": "no fix proposed",
  "validate->validate": "next candidate",
  "validate->run_tests": "candidates done",
  "validate->report": "workflow ended",
};

/** The Mermaid node id LangGraph gives the start and end of the graph. */
export const START_NODE = "__start__";
export const END_NODE = "__end__";

/**
 * Deps for a graph that is only drawn, never run: the nodes close over deps but read them only when they run,
 * so any use is a bug and says so.
 */
export function drawingOnlyDeps(): WorkflowDeps {
  return new Proxy({} as WorkflowDeps, {
    get(_target, key) {
      throw new RedgreenError("internal", `the workflow graph was built for drawing only; its nodes cannot use deps.${String(key)}`);
    },
  });
}

export interface WorkflowMermaidOptions {
  /** A compiled workflow graph; one built with drawingOnlyDeps() when absent. */
  graph?: WorkflowGraph;
  /** Mermaid `curve` style (default "basis"). */
  curveStyle?: string;
}

/** Why a conditional edge is taken: EDGE_LABELS, else LangGraph's own label. */
const conditionLabel = (edge: { source: string; target: string; data?: unknown }): string =>
  EDGE_LABELS[`${edge.source}->${edge.target}`] ?? (edge.data === undefined ? "" : String(edge.data));

/** One edge of the workflow graph; `label` says why a conditional edge is taken ("" for a plain edge). */
export interface WorkflowGraphEdge {
  source: string;
  target: string;
  conditional: boolean;
  label: string;
}

/** The workflow graph as data: node ids (START and END included) and edges, for renderers other than Mermaid. */
export interface WorkflowGraphDescription {
  nodes: string[];
  edges: WorkflowGraphEdge[];
}

/** The nodes and edges of the compiled workflow graph (one built with drawingOnlyDeps() when absent), labelled as in Mermaid. */
export async function describeWorkflowGraph(graph?: WorkflowGraph): Promise<WorkflowGraphDescription> {
  const drawable = await (graph ?? buildGraph(drawingOnlyDeps())).getGraphAsync();
  return {
    nodes: Object.keys(drawable.nodes),
    edges: drawable.edges.map((e) => ({
      source: e.source,
      target: e.target,
      conditional: e.conditional === true,
      label: e.conditional ? conditionLabel(e) : "",
    })),
  };
}

/** The workflow graph as Mermaid flowchart text (offline: LangGraph's drawMermaid, conditional edges labelled). */
export async function workflowMermaid(options: WorkflowMermaidOptions = {}): Promise<string> {
  const graph = options.graph ?? buildGraph(drawingOnlyDeps());
  const drawable = await graph.getGraphAsync();
  for (const edge of drawable.edges) {
    if (!edge.conditional) continue;
    // LangGraph labels an edge only when its path-map key differs from the target; ours are equal, so say why.
    edge.data = conditionLabel(edge);
  }
  return drawable.drawMermaid({ withStyles: true, curveStyle: options.curveStyle ?? "basis", wrapLabelNWords: 4 });
}

/** The edges of Mermaid text in the order Mermaid numbers them for `linkStyle`. */
export function mermaidEdges(mermaid: string): { source: string; target: string; index: number }[] {
  const edges: { source: string; target: string; index: number }[] = [];
  for (const line of mermaid.split("\n")) {
    // "a --> b;", "a -.-> b;", "a -. &nbsp;label&nbsp; .-> b;", "a -- label --> b;"
    const m = /^\s*([\w-]+)\s+(?:-->|-\.->|-\.\s.*?\s\.->|--\s.*?\s-->)\s+([\w-]+);?\s*$/.exec(line);
    if (m) edges.push({ source: m[1]!, target: m[2]!, index: edges.length });
  }
  return edges;
}

export interface PathHighlight {
  /** Nodes in the order the workflow ran them (repeats allowed); START and END are added at the ends by the caller. */
  visited: readonly string[];
  /** The node to mark as "here" (e.g. the selected checkpoint's next node). */
  current?: string | null;
}

/** Consecutive pairs of a node sequence: the edges a run took. */
export const takenEdges = (visited: readonly string[]): Set<string> => {
  const out = new Set<string>();
  for (let i = 1; i < visited.length; i++) out.add(`${visited[i - 1]}->${visited[i]}`);
  return out;
};

/** Mermaid text with the visited nodes, the taken edges and the current node styled (classDef, class, linkStyle). */
export function highlightPath(mermaid: string, highlight: PathHighlight): string {
  const visited = [...new Set(highlight.visited)];
  const taken = takenEdges(highlight.visited);
  const edgeIndexes = mermaidEdges(mermaid)
    .filter((e) => taken.has(`${e.source}->${e.target}`))
    .map((e) => e.index);
  const lines = [
    "\tclassDef visited fill:#d3f9d8,stroke:#2b8a3e,stroke-width:2px;",
    "\tclassDef current fill:#ffe066,stroke:#e67700,stroke-width:3px;",
  ];
  if (visited.length > 0) lines.push(`\tclass ${visited.join(",")} visited;`);
  if (highlight.current) lines.push(`\tclass ${highlight.current} current;`);
  if (edgeIndexes.length > 0) lines.push(`\tlinkStyle ${edgeIndexes.join(",")} stroke:#2b8a3e,stroke-width:3px;`);
  return `${mermaid.trimEnd()}\n${lines.join("\n")}\n`;
}
