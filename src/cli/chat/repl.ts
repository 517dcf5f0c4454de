// The REPL loop on node:readline: prompt, slash commands, free text to the chat agent, tab completion, history, Ctrl-C.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import type { Interface } from "node:readline";
import { isRedgreenError } from "../../domain/errors.js";
import type { Palette } from "../colour.js";
import type { ChatAgent } from "./agent.js";
import { findSlashCommand, slashCommands } from "./slash-commands.js";
import type { SlashContext } from "./slash-commands.js";
import { currentFailures } from "./session.js";
import type { ChatSession } from "./session.js";

export interface ReplOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A terminal: line editing, tab completion, up-arrow history, Ctrl-C as a key. */
  terminal: boolean;
  /** Where up-arrow history persists between sessions (terminal only); null keeps none. */
  historyFile: string | null;
  /** The chat agent for free text; null when no model is configured. */
  agent: ChatAgent | null;
  /** Also cancel on the process's SIGINT (piped input: Ctrl-C arrives as a signal, not a key). */
  handleProcessSigint?: boolean;
  debug?: boolean;
}

const PROMPT = "redgreen> ";
const HISTORY_SIZE = 500;

/** Lines oldest first in the file; readline wants newest first. */
function loadHistory(file: string | null): string[] {
  if (file === null) return [];
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .slice(-HISTORY_SIZE)
      .reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string | null, newestFirst: readonly string[]): void {
  if (file === null) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${[...newestFirst].reverse().join("\n")}\n`);
  } catch {
    /* history is a convenience: an unwritable file must not break the chat */
  }
}

/** Tab completion: command names after "/", failure numbers after commands that take one. */
export function completeLine(line: string, failureCount: number): [string[], string] {
  if (!line.startsWith("/")) return [[], line];
  const space = line.indexOf(" ");
  if (space < 0) {
    const names = [...Object.keys(slashCommands), "exit"].map((n) => `/${n}`);
    const hits = names.filter((n) => n.startsWith(line));
    return [hits.length > 0 ? hits : names, line];
  }
  const cmd = findSlashCommand(line.slice(1, space));
  const partial = line.slice(space + 1).trimStart();
  if (!cmd?.takesFailure || partial.includes(" ")) return [[], partial];
  const numbers = Array.from({ length: failureCount }, (_, i) => String(i + 1)).filter((n) => n.startsWith(partial));
  return [numbers, partial];
}

/**
 * Lines from readline as a queue: piped input may arrive all at once while a command is still running. Without a
 * terminal nothing echoes, so each line is written after its prompt: the output reads like a transcript.
 */
function lineQueue(
  rl: Interface,
  terminal: boolean,
  write: (text: string) => void,
): { next(prompt: string, signal?: AbortSignal): Promise<string | null> } {
  const echo = (prompt: string, line: string | null): string | null => {
    if (!terminal && line !== null) write(`${prompt}${line}\n`);
    return line;
  };
  const queued: string[] = [];
  let waiting: ((line: string | null) => void) | null = null;
  let closed = false;
  rl.on("line", (line) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(line);
    } else queued.push(line);
  });
  rl.on("close", () => {
    closed = true;
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(null);
    }
  });
  return {
    next(prompt, signal) {
      if (queued.length > 0) return Promise.resolve(echo(prompt, queued.shift()!));
      if (closed || signal?.aborted) return Promise.resolve(null);
      if (terminal) {
        rl.setPrompt(prompt);
        rl.prompt();
      }
      return new Promise((resolve) => {
        waiting = (line) => resolve(echo(prompt, line));
        signal?.addEventListener(
          "abort",
          () => {
            if (waiting !== null) {
              waiting = null;
              resolve(null);
            }
          },
          { once: true },
        );
      });
    },
  };
}

/** One line for a fault inside a command: no stack trace unless debugging. */
const describeFault = (e: unknown, debug: boolean, paint: Palette): string => {
  if (isRedgreenError(e)) return `${paint.red("error:")} ${e.message.replace(/\s*\n\s*/g, " ")}\n`;
  const message = e instanceof Error ? e.message : String(e);
  return (
    `${paint.red("internal error:")} ${message.replace(/\s*\n\s*/g, " ")}` +
    `${debug && e instanceof Error ? `\n${e.stack}` : " (REDGREEN_DEBUG=1 shows the stack)"}\n`
  );
};

/** Runs the REPL until /quit or end of input (Ctrl-D). */
export async function runRepl(session: ChatSession, options: ReplOptions): Promise<void> {
  const { output } = options;
  const write = (text: string): void => void output.write(text);
  const rl = createInterface({
    input: options.input,
    output,
    terminal: options.terminal,
    historySize: options.terminal ? HISTORY_SIZE : 0,
    removeHistoryDuplicates: true,
    history: options.terminal ? loadHistory(options.historyFile) : [],
    completer: (line: string) => completeLine(line, currentFailures(session).length),
  });
  rl.on("history", (h: string[]) => saveHistory(options.historyFile, h));
  const lines = lineQueue(rl, options.terminal, write);
  let action: AbortController | null = null;

  const onInterrupt = (): void => {
    if (action !== null && !action.signal.aborted) {
      action.abort(new Error("cancelled with Ctrl-C"));
      write("\n^C cancelled\n");
      return;
    }
    if (options.terminal) {
      rl.write(null, { ctrl: true, name: "u" });
      write("^C (type /quit or press Ctrl-D to leave)\n");
      rl.prompt();
    }
  };
  rl.on("SIGINT", onInterrupt);
  if (options.handleProcessSigint) process.on("SIGINT", onInterrupt);

  const confirm = async (question: string): Promise<boolean> => {
    const answer = await lines.next(question, action?.signal);
    if (answer === null) write("\n");
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  };

  const ask = async (question: string, signal: AbortSignal): Promise<void> => {
    if (options.agent === null) {
      write(
        `No chat model is configured, so only slash commands work (${session.noModelReason ?? "no model"}).\n` +
          "Configure one and restart: redgreen chat --model qwen2.5-coder:7b --base-url http://localhost:11434/v1 (or set " +
          "REDGREEN_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY). /help lists the commands.\n",
      );
      return;
    }
    let wrote = false;
    const { text } = await options.agent.ask(
      session,
      question,
      (t) => {
        wrote = true;
        write(t);
      },
      signal,
    );
    if (!signal.aborted) write(wrote && !text.endsWith("\n") ? "\n" : wrote ? "" : "(the model sent no text)\n");
  };

  try {
    for (;;) {
      const line = await lines.next(PROMPT);
      if (line === null) {
        write("\nbye\n");
        return;
      }
      const text = line.trim();
      if (text === "") continue;
      action = new AbortController();
      const ctx: SlashContext = { session, write, confirm, signal: action.signal };
      try {
        if (text.startsWith("/")) {
          const [name = "", ...args] = text.slice(1).split(/\s+/);
          const cmd = findSlashCommand(name.toLowerCase());
          if (cmd === undefined) {
            const close = Object.keys(slashCommands).find((n) => n.startsWith(name.toLowerCase().slice(0, 2)) && name.length > 1);
            write(`unknown command /${name}${close ? ` (did you mean /${close}?)` : ""}; /help lists the commands\n`);
          } else if ((await cmd.run(ctx, args)) === "quit") {
            write("bye\n");
            return;
          }
        } else {
          await ask(text, action.signal);
        }
      } catch (e) {
        write(action.signal.aborted ? "" : describeFault(e, options.debug === true, session.paint));
      } finally {
        action = null;
      }
    }
  } finally {
    if (options.handleProcessSigint) process.off("SIGINT", onInterrupt);
    rl.close();
  }
}
