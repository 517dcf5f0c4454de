// The workflow graph as terminal text: each node with its edges and their conditions, the path a workflow took marked.
import type { WorkflowGraph } from "../../../graph/build.js";
import { describeWorkflowGraph, END_NODE, START_NODE, takenEdges } from "../../../graph/visualize.js";
import type { Palette } from "../colour.js";

const nodeName = (id: string): string => (id === START_NODE ? "start" : id === END_NODE ? "end" : id);

/**
 * The graph's nodes in order, each followed by its edges ("-> target  condition"); with a path (START first),
 * visited nodes get "*" and how often they ran, taken edges "=>", both in green.
 */
export async function workflowGraphText(graph: WorkflowGraph, visited: readonly string[], paint: Palette): Promise<string> {
  const drawn = await describeWorkflowGraph(graph);
  const ran = visited.filter((n) => n !== START_NODE && n !== END_NODE);
  const marked = ran.length > 0;
  const taken = takenEdges(visited);
  const runs = new Map<string, number>();
  for (const n of visited) runs.set(n, (runs.get(n) ?? 0) + 1);
  const out: string[] = [];
  if (marked) {
    out.push(`path: ${visited.map(nodeName).join(" → ")}`, `(* ran, => edge taken)`, "");
  } else {
    out.push(visited.length > 0 ? "This workflow ran no graph node yet (its fixes came from /fix); the graph:" : "The workflow graph:", "");
  }
  const width = Math.max(...drawn.nodes.map((id) => nodeName(id).length));
  for (const id of drawn.nodes) {
    const count = runs.get(id) ?? 0;
    const name = `${marked ? (count > 0 ? "* " : "  ") : ""}${nodeName(id)}${count > 1 && id !== START_NODE ? ` (ran ${count}×)` : ""}`;
    out.push(count > 0 && marked ? paint.green(paint.bold(name)) : name);
    for (const edge of drawn.edges.filter((e) => e.source === id)) {
      const key = `${edge.source}->${edge.target}`;
      const why = edge.conditional ? edge.label : "always";
      const line = `${marked ? "  " : ""}  ${taken.has(key) ? "=>" : "->"} ${nodeName(edge.target).padEnd(width)}  ${why}`;
      out.push(taken.has(key) ? paint.green(line) : line);
    }
  }
  return `${out.join("\n")}\n`;
}
