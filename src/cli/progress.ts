// Live test progress on stderr: one redrawn line on a terminal, a plain line per update (at most once a second) otherwise.
import type { RunProgress } from "../runners/adapter.js";
import { PLAIN } from "./colour.js";
import type { Palette } from "./colour.js";

export interface ProgressReporter {
  /** Draws the counts, after `label` when given (which run of several this is). */
  update(p: RunProgress, label?: string): void;
  /** Clears the live line (terminal) or prints the final count (plain). */
  done(): void;
}

export interface ProgressOptions {
  stream: { write(text: string): void };
  tty: boolean;
  /** Colours the failure count red (plain by default). */
  paint?: Palette;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
}

const describe = (p: RunProgress, paint: Palette): string => {
  const done = p.collected === null ? `${p.done} tests done` : `${p.done}/${p.collected} tests done`;
  const failed = `${p.failed} failed`;
  return `${done}, ${p.failed > 0 ? paint.red(failed) : failed}`;
};

/** A reporter that draws at most every 100 ms on a terminal and every 1000 ms into a pipe or file. */
export function createProgressReporter({ stream, tty, paint = PLAIN, now = () => Date.now() }: ProgressOptions): ProgressReporter {
  const interval = tty ? 100 : 1000;
  let lastDrawn = -Infinity;
  let lastText = "";
  let pending: string | null = null;
  const draw = (text: string): void => {
    stream.write(tty ? `\r\x1b[2K${text}` : `progress: ${text}\n`);
    lastText = text;
    lastDrawn = now();
    pending = null;
  };
  return {
    update(p, label) {
      const text = `${label ? `${label}: ` : ""}${describe(p, paint)}`;
      if (text === lastText) return;
      if (now() - lastDrawn >= interval) draw(text);
      else pending = text;
    },
    done() {
      if (tty) {
        if (lastText !== "") stream.write("\r\x1b[2K");
      } else if (pending !== null) {
        draw(pending);
      }
    },
  };
}
