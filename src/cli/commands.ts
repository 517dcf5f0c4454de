// Every redgreen command, declared once and loaded lazily; adding a command is one entry here plus its file in commands/.
import type { CommandRun } from "./context.js";

/** A command module exports `run` (its help text lives in the module, printed for `<command> --help`). */
export interface CommandModule {
  run: CommandRun;
}

export interface CommandEntry {
  /** One line for `redgreen --help`. */
  summary: string;
  load: () => Promise<CommandModule>;
}

/** The command table; its order is the order `redgreen --help` lists them in. */
export const commands = {
  test: {
    summary: "run a project's tests (with coverage), store the run, print a report or --json",
    load: () => import("./commands/test.js"),
  },
  run: {
    summary: "fix a failing suite: analyse, apply validated pattern/LLM fixes, repeat until green (--json for agents)",
    load: () => import("./commands/run.js"),
  },
  resume: {
    summary: "continue a workflow from its last checkpoint after a crash or Ctrl-C",
    load: () => import("./commands/resume.js"),
  },
  undo: {
    summary: "restore every file a workflow changed, byte for byte",
    load: () => import("./commands/undo.js"),
  },
  runs: {
    summary: "list the workflows stored for a project",
    load: () => import("./commands/runs.js"),
  },
  report: {
    summary: "print the stored report of a workflow",
    load: () => import("./commands/report.js"),
  },
  chat: {
    summary: "interactive REPL about a project's failures: /run /show /fix /undo /history, and questions to a chat model",
    load: () => import("./commands/chat.js"),
  },
  graph: {
    summary: "print the workflow graph as Mermaid text, or as an HTML page that renders offline",
    load: () => import("./commands/graph.js"),
  },
  inspect: {
    summary: "serve a local web app to debug a workflow: graph path, checkpoints, state diffs, fixes, fork and replay",
    load: () => import("./commands/inspect.js"),
  },
  mcp: {
    summary: "serve every redgreen tool (fix_failing_tests included) to MCP clients over stdio",
    load: () => import("./commands/mcp.js"),
  },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof commands;

/** The entry for a name typed on the command line, or undefined. */
export const findCommand = (name: string): CommandEntry | undefined =>
  Object.hasOwn(commands, name) ? (commands as Record<string, CommandEntry>)[name] : undefined;
