// `redgreen graph`: the workflow graph as Mermaid text, or as a self-contained HTML page that renders it offline.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describeWorkflowGraph, workflowMermaid } from "../../../graph/visualize.js";
import { RedgreenError } from "../../domain/errors.js";
import { parseCommandArgs, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { svgHtmlPage, workflowGraphSvg } from "../inspect/graph-svg.js";
import { mermaidHtmlPage, readMermaidBundle } from "../inspect/mermaid-asset.js";

export const help = `Usage: redgreen graph [options]

Prints redgreen's workflow graph (run_tests → analyze → pattern_fix → llm_fix → validate → report)
with every conditional edge labelled by the condition that takes it.

Options:
  --format F      mermaid (default): Mermaid flowchart text
                  html: a self-contained page that renders the graph in a browser, offline
                  (a plain SVG drawing when the optional mermaid package is not installed)
  -o, --output P  write to file P instead of stdout
  -h, --help      show this help

Example: redgreen graph --format html -o graph.html && xdg-open graph.html
`;

const FORMATS = ["mermaid", "html"] as const;

/** The graph as an offline page: rendered by Mermaid when it is installed, else drawn as SVG. */
async function htmlPage(mermaid: string): Promise<string> {
  const title = "redgreen workflow graph";
  const bundle = readMermaidBundle();
  return bundle === null ? svgHtmlPage(title, workflowGraphSvg(await describeWorkflowGraph())) : mermaidHtmlPage(title, mermaid, bundle);
}

/** Runs `redgreen graph`. */
export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("graph", {
    args,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      output: { type: "string", short: "o" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`graph takes no arguments, got: ${positionals.join(" ")} (see redgreen graph --help)`);
  const format = values.format ?? "mermaid";
  if (!(FORMATS as readonly string[]).includes(format)) throw usageError(`--format must be mermaid or html, got '${format}'`);
  const mermaid = await workflowMermaid();
  const text = format === "html" ? await htmlPage(mermaid) : mermaid;
  if (values.output === undefined) {
    ctx.stdout.write(text);
    return EXIT.ok;
  }
  const target = resolve(ctx.cwd, values.output);
  try {
    writeFileSync(target, text);
  } catch (e) {
    throw new RedgreenError("io_error", `cannot write ${values.output}: ${(e as Error).message}`, { cause: e });
  }
  ctx.stderr.write(`wrote ${target}\n`);
  return EXIT.ok;
}
