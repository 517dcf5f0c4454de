// The REPL's slash commands, declared once: name, usage, summary and what each does (all work without a model).
import { buildGraph } from "../../../graph/build.js";
import { drawingOnlyDeps, highlightPath, workflowMermaid } from "../../../graph/visualize.js";
import { RedgreenError } from "../../domain/errors.js";
import type { Analysis, Failure } from "../../domain/index.js";
import { undoWorkflow, workflowPatch } from "../../fixers/journal.js";
import { withProjectLock } from "../../fixers/project-lock.js";
import { iterationSeries, loadHistory, pathThrough, toTimeline } from "../inspect/timeline.js";
import { fixInteractively } from "./fix.js";
import { workflowGraphText } from "./graph-text.js";
import { renderAnalysis, renderFailureDetail, renderFailures, renderHistory, renderWorkflows, runCounts } from "./render.js";
import { sessionFixes } from "./fix-states.js";
import { adoptRun, currentFailures, sessionAnalyzer, staleNote } from "./session.js";
import type { ChatSession } from "./session.js";

/** What a slash command gets. */
export interface SlashContext {
  session: ChatSession;
  write(text: string): void;
  confirm(question: string): Promise<boolean>;
  /** Aborted by Ctrl-C: the command stops and the REPL carries on. */
  signal: AbortSignal;
}

export interface SlashCommand {
  usage: string;
  summary: string;
  /** Whether the argument is a failure number (for tab completion). */
  takesFailure?: boolean;
  /** "quit" ends the REPL. */
  run(ctx: SlashContext, args: string[]): Promise<void | "quit">;
}

const graphFor = (s: ChatSession) => buildGraph(drawingOnlyDeps(), { checkpointer: s.runtime.checkpointer });

/** Failure N of the current run (1-based), or a usage error naming the valid range. */
function failureArg(s: ChatSession, args: string[], usage: string): { n: number; failure: Failure } {
  const failures = currentFailures(s);
  if (failures.length === 0) throw new RedgreenError("usage", "no failing tests in the current run (/run runs the tests again)");
  const n = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(n) || n < 1 || n > failures.length) {
    throw new RedgreenError("usage", `usage: ${usage}, with N from 1 to ${failures.length} (/failures lists them)`);
  }
  return { n, failure: failures[n - 1]! };
}

/** A command that writes failure N of the current run as `render` shows it with its analysis. */
const failureView = (
  usage: string,
  summary: string,
  render: (n: number, failure: Failure, analysis: Analysis, s: ChatSession) => string,
): SlashCommand => ({
  usage,
  summary,
  takesFailure: true,
  async run(ctx, args) {
    const { n, failure } = failureArg(ctx.session, args, usage);
    ctx.write(`${render(n, failure, sessionAnalyzer(ctx.session)(failure), ctx.session)}${staleNote(ctx.session)}`);
  },
});

const requireWorkflow = (s: ChatSession): string => {
  if (s.workflowId === null) throw new RedgreenError("usage", "no workflow yet for this project (redgreen run, or /fix N, starts one)");
  return s.workflowId;
};

export const slashCommands = {
  help: {
    usage: "/help",
    summary: "list the commands",
    async run(ctx) {
      const rows = Object.values(slashCommands).map((c) => `  ${c.usage.padEnd(12)} ${c.summary}`);
      ctx.write(
        `${rows.join("\n")}\n\nAnything else is a question for the chat model (e.g. "why does test_checkout fail?").\n` +
          `Model: --model M (--base-url URL for Ollama, vLLM, llama.cpp), or REDGREEN_MODEL / OPENAI_BASE_URL / OPENAI_API_KEY.\n` +
          `Tab completes commands; up-arrow recalls earlier input; Ctrl-C cancels the running action; Ctrl-D exits.\n`,
      );
    },
  },
  run: {
    usage: "/run",
    summary: "run the whole test suite and make it the current run",
    async run(ctx) {
      const { session } = ctx;
      ctx.write("running the tests …\n");
      const result = await session.runtime.deps.adapter.runTests({ coverage: session.runtime.deps.options.coverage, signal: ctx.signal });
      if (ctx.signal.aborted) return;
      const run = adoptRun(session, result);
      ctx.write(`run #${run.id}: ${runCounts(run, session.paint)}\n${renderFailures(currentFailures(session))}`);
    },
  },
  failures: {
    usage: "/failures",
    summary: "list the failing tests of the current run, numbered",
    async run(ctx) {
      ctx.write(`${renderFailures(currentFailures(ctx.session))}${staleNote(ctx.session)}`);
    },
  },
  show: failureView("/show N", "failure N in full: error, trace, and the source around it", (n, failure, analysis, s) =>
    renderFailureDetail(n, failure, analysis, s.projectRoot),
  ),
  analyze: failureView("/analyze N", "root cause, category, location and fix strategy of failure N", renderAnalysis),
  fix: {
    usage: "/fix N",
    summary: "fix failure N (pattern, then LLM): shows the diff, asks, applies, proves it with the test runner",
    takesFailure: true,
    async run(ctx, args) {
      const { failure } = failureArg(ctx.session, args, "/fix N");
      const analysis = sessionAnalyzer(ctx.session)(failure);
      await withProjectLock(
        ctx.session.projectRoot,
        { workflowId: ctx.session.workflowId ?? "chat", command: "chat /fix", note: ctx },
        () => fixInteractively(ctx.session, failure, analysis, ctx),
      );
    },
  },
  undo: {
    usage: "/undo",
    summary: "restore every file the workflow's kept fixes changed",
    async run(ctx) {
      const id = requireWorkflow(ctx.session);
      const result = await withProjectLock(ctx.session.projectRoot, { workflowId: id, command: "chat /undo", note: ctx }, () =>
        undoWorkflow(ctx.session.runtime.deps.journal, id, ctx.session.projectRoot),
      );
      if (result.restored.length === 0 && result.refused.length === 0) ctx.write("Nothing to undo.\n");
      for (const f of result.restored) ctx.write(`restored ${f}\n`);
      for (const r of result.refused) ctx.write(`not restored: ${r.reason}\n`);
      if (result.restored.length > 0 && ctx.session.currentRun !== null) {
        ctx.session.runStale = "/undo";
        ctx.write(`run #${ctx.session.currentRun.id} is from before the undo: /run to refresh /failures\n`);
      }
    },
  },
  diff: {
    usage: "/diff",
    summary: "the workflow's changes so far, as one unified diff",
    async run(ctx) {
      const id = requireWorkflow(ctx.session);
      const patch = await workflowPatch(ctx.session.runtime.deps.journal, id, ctx.session.projectRoot);
      ctx.write(patch === "" ? "No changes: no kept fix (or all undone).\n" : patch);
    },
  },
  history: {
    usage: "/history",
    summary: "the iterations (tests after each) and the fixes tried in each",
    async run(ctx) {
      const id = requireWorkflow(ctx.session);
      const history = await loadHistory(graphFor(ctx.session), id);
      ctx.write(renderHistory(iterationSeries(history), sessionFixes(ctx.session), ctx.session.paint));
    },
  },
  graph: {
    usage: "/graph",
    summary: "the workflow graph as text, the path this workflow took marked (/graph --mermaid: Mermaid text)",
    async run(ctx, args) {
      const mermaidWanted = args.length === 1 && args[0] === "--mermaid";
      if (args.length > 0 && !mermaidWanted) throw new RedgreenError("usage", "usage: /graph, or /graph --mermaid for Mermaid text");
      const graph = graphFor(ctx.session);
      const id = ctx.session.workflowId;
      const path = id === null ? [] : pathThrough(toTimeline(await loadHistory(graph, id)));
      if (!mermaidWanted) {
        ctx.write(await workflowGraphText(graph, path, ctx.session.paint));
        return;
      }
      const mermaid = await workflowMermaid({ graph });
      ctx.write(id === null ? mermaid : highlightPath(mermaid, { visited: path }));
      ctx.write("(paste into any Mermaid viewer, or run redgreen inspect for the interactive view)\n");
    },
  },
  runs: {
    usage: "/runs",
    summary: "the project's workflows (* marks the one this chat is about)",
    async run(ctx) {
      const { session } = ctx;
      ctx.write(
        renderWorkflows(
          session.runtime.deps.store.listWorkflows({ projectPath: session.projectRoot, limit: 20 }),
          session.workflowId,
          session.paint,
        ),
      );
    },
  },
  quit: {
    usage: "/quit",
    summary: "leave (Ctrl-D too)",
    async run() {
      return "quit";
    },
  },
} satisfies Record<string, SlashCommand>;

/** The command for a typed name (exact, or "exit" for quit), or undefined. */
export function findSlashCommand(name: string): SlashCommand | undefined {
  if (name === "exit") return slashCommands.quit;
  return Object.hasOwn(slashCommands, name) ? (slashCommands as Record<string, SlashCommand>)[name] : undefined;
}
