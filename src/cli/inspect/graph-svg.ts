// The workflow graph as a small self-contained SVG (layered, top to bottom), for when the Mermaid renderer is not installed.
import { END_NODE, START_NODE, takenEdges } from "../../../graph/visualize.js";
import type { PathHighlight, WorkflowGraphDescription, WorkflowGraphEdge } from "../../../graph/visualize.js";
import { escapeMarkup } from "./markup.js";

const NODE_W = 150;
const NODE_H = 34;
const RANK_GAP = 74;
const COLUMN_GAP = 40;
/** Edges that skip ranks run in lanes beside the nodes (right: forward, left: back to an earlier node). */
const LANE_GAP = 28;
const FIRST_LANE = 34;
/** Room on each side for the lanes. */
const MARGIN_X = 260;
const MARGIN_Y = 16;

interface Placed {
  x: number;
  y: number;
  rank: number;
}

/** The edges that close a cycle (found by depth-first search from START): drawn as back edges, ignored for ranking. */
function backEdges(description: WorkflowGraphDescription): Set<WorkflowGraphEdge> {
  const out = new Set<WorkflowGraphEdge>();
  const state = new Map<string, "open" | "done">();
  const visit = (node: string): void => {
    state.set(node, "open");
    for (const e of description.edges.filter((x) => x.source === node)) {
      if (state.get(e.target) === "open") out.add(e);
      else if (!state.has(e.target)) visit(e.target);
    }
    state.set(node, "done");
  };
  visit(START_NODE);
  for (const n of description.nodes) if (!state.has(n)) visit(n);
  return out;
}

/** Each node's rank: the longest path from START over the forward edges (END is always last). */
function ranks(description: WorkflowGraphDescription, back: Set<WorkflowGraphEdge>): Map<string, number> {
  const rank = new Map<string, number>(description.nodes.map((n) => [n, 0]));
  const forward = description.edges.filter((e) => !back.has(e) && e.source !== e.target);
  // Longest path by relaxation: at most |nodes| rounds on an acyclic edge set.
  for (let round = 0; round < description.nodes.length; round++) {
    for (const e of forward) rank.set(e.target, Math.max(rank.get(e.target)!, rank.get(e.source)! + 1));
  }
  const last = Math.max(...rank.values());
  if (rank.has(END_NODE)) rank.set(END_NODE, Math.max(last, 1));
  return rank;
}

interface Layout {
  at: Map<string, Placed>;
  width: number;
  height: number;
  back: Set<WorkflowGraphEdge>;
}

/** Nodes in rows by rank, each row centred. */
function place(description: WorkflowGraphDescription): Layout {
  const back = backEdges(description);
  const rank = ranks(description, back);
  const rows = new Map<number, string[]>();
  for (const n of description.nodes) rows.set(rank.get(n)!, [...(rows.get(rank.get(n)!) ?? []), n]);
  const widest = Math.max(...[...rows.values()].map((r) => r.length));
  const width = 2 * MARGIN_X + widest * NODE_W + (widest - 1) * COLUMN_GAP;
  const at = new Map<string, Placed>();
  for (const [r, row] of rows) {
    const rowWidth = row.length * NODE_W + (row.length - 1) * COLUMN_GAP;
    const y = MARGIN_Y + r * RANK_GAP + NODE_H / 2;
    row.forEach((n, i) => at.set(n, { x: (width - rowWidth) / 2 + i * (NODE_W + COLUMN_GAP) + NODE_W / 2, y, rank: r }));
  }
  const height = 2 * MARGIN_Y + (Math.max(...rows.keys()) + 1) * RANK_GAP - (RANK_GAP - NODE_H);
  return { at, width, height, back };
}

interface Geometry {
  d: string;
  lx: number;
  ly: number;
  anchor: string;
  /** Lane labels run along their lane (rotated), so neighbouring lanes' labels never overlap. */
  rotate: boolean;
}

/** Which edges run in a lane, and which lane (0 nearest the nodes; shorter spans nearer), per side. */
function lanes(description: WorkflowGraphDescription, { at, back }: Layout): Map<WorkflowGraphEdge, number> {
  const span = (e: WorkflowGraphEdge): number => Math.abs(at.get(e.target)!.rank - at.get(e.source)!.rank);
  const out = new Map<WorkflowGraphEdge, number>();
  for (const isBack of [false, true]) {
    description.edges
      .filter((e) => at.has(e.source) && at.has(e.target) && e.source !== e.target && back.has(e) === isBack && (isBack || span(e) > 1))
      .sort((a, b) => span(a) - span(b) || at.get(a.source)!.rank - at.get(b.source)!.rank)
      .forEach((e, i) => out.set(e, i));
  }
  return out;
}

/** The SVG path of one edge and where its label goes. */
function edgeGeometry(from: Placed, to: Placed, lane: number | undefined, isBack: boolean): Geometry {
  const half = NODE_W / 2;
  if (from === to) {
    // A self-loop on the left, clear of the forward lanes on the right.
    const x = from.x - half;
    const d = `M${x},${from.y - 8} C${x - 46},${from.y - 30} ${x - 46},${from.y + 30} ${x},${from.y + 8}`;
    return { d, lx: x - 40, ly: from.y + 4, anchor: "end", rotate: false };
  }
  if (lane === undefined) {
    const y1 = from.y + NODE_H / 2;
    const y2 = to.y - NODE_H / 2;
    return { d: `M${from.x},${y1} L${to.x},${y2}`, lx: (from.x + to.x) / 2 + 6, ly: (y1 + y2) / 2 + 4, anchor: "start", rotate: false };
  }
  // Forward edges that skip ranks swing out to the right, back edges to the left (past the self-loops), one lane each.
  const side = isBack ? -1 : 1;
  const bulge = side * (half + FIRST_LANE + (isBack ? 40 : 0) + lane * LANE_GAP);
  const x1 = from.x + side * half;
  const x2 = to.x + side * half;
  const cx = (from.x + to.x) / 2 + bulge;
  const d = `M${x1},${from.y} C${cx},${from.y} ${cx},${to.y} ${x2},${to.y}`;
  // The curve's midpoint (t = 1/2 of the cubic), just inside the lane.
  return { d, lx: (x1 + x2) / 8 + (3 * cx) / 4 - side * 4, ly: (from.y + to.y) / 2, anchor: "middle", rotate: true };
}

const label = (n: string): string => (n === START_NODE ? "start" : n === END_NODE ? "end" : n);

/**
 * An SVG drawing of the graph: `g.node` per node (class `visited` and `current` as Mermaid's highlight), `path.edge`
 * per edge (class `taken` when the path used it, `conditional` when dashed). Every text is escaped.
 */
export function workflowGraphSvg(description: WorkflowGraphDescription, highlight: PathHighlight = { visited: [] }): string {
  const layout = place(description);
  const { at, width, height, back } = layout;
  const lane = lanes(description, layout);
  const visited = new Set(highlight.visited);
  const taken = takenEdges(highlight.visited);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="workflow-graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"` +
      ` role="img" aria-label="workflow graph">`,
    '<defs><marker id="rg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"' +
      ' orient="auto-start-reverse">' +
      '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    "<style>.edge{fill:none;stroke:#888;stroke-width:1.4}.edge.conditional{stroke-dasharray:5 4}" +
      ".edge.taken{stroke:#2b8a3e;stroke-width:3}.edge-label{font:11px system-ui,sans-serif;fill:#555}" +
      ".node rect{fill:#eef2ff;stroke:#6b7280;stroke-width:1.2}.node.visited rect{fill:#d3f9d8;stroke:#2b8a3e;stroke-width:2}" +
      ".node.current rect{fill:#ffe066;stroke:#e67700;stroke-width:3}.node text{font:13px system-ui,sans-serif;fill:#222}</style>",
  ];
  for (const e of description.edges) {
    const from = at.get(e.source);
    const to = at.get(e.target);
    if (from === undefined || to === undefined) continue;
    const g = edgeGeometry(from, to, lane.get(e), back.has(e));
    const key = `${e.source}->${e.target}`;
    const classes = ["edge", e.conditional ? "conditional" : "", taken.has(key) ? "taken" : ""].filter(Boolean).join(" ");
    parts.push(
      `<path class="${classes}" data-edge="${escapeMarkup(key)}" d="${g.d}" marker-end="url(#rg-arrow)"/>`,
      e.label === ""
        ? ""
        : `<text class="edge-label" x="${g.lx}" y="${g.ly}" text-anchor="${g.anchor}"` +
            `${g.rotate ? ` transform="rotate(-90 ${g.lx} ${g.ly})"` : ""}>` +
            `${escapeMarkup(e.label)}</text>`,
    );
  }
  for (const n of description.nodes) {
    const p = at.get(n)!;
    const classes = ["node", visited.has(n) ? "visited" : "", highlight.current === n ? "current" : ""].filter(Boolean).join(" ");
    const rx = n === START_NODE || n === END_NODE ? NODE_H / 2 : 6;
    parts.push(
      `<g class="${classes}" data-id="${escapeMarkup(n)}">` +
        `<rect x="${p.x - NODE_W / 2}" y="${p.y - NODE_H / 2}" width="${NODE_W}" height="${NODE_H}" rx="${rx}"/>` +
        `<text x="${p.x}" y="${p.y + 4}" text-anchor="middle">${escapeMarkup(label(n))}</text></g>`,
    );
  }
  parts.push("</svg>");
  return parts.filter(Boolean).join("\n");
}

/** A self-contained HTML page showing one such SVG (no script, no network). */
export function svgHtmlPage(title: string, svg: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeMarkup(title)}</title>
<style>body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; } svg { max-width: 100%; height: auto; }</style>
</head>
<body>
<h1>${escapeMarkup(title)}</h1>
<div id="diagram" aria-label="diagram">${svg}</div>
</body>
</html>
`;
}
