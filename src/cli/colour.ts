// Terminal colour, decided once per stream: on for a TTY unless NO_COLOR (no-color.org), FORCE_COLOR forces it, --no-color wins.

/** What decides whether one output stream gets colour. */
export interface ColourInput {
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** The global --no-color flag (or --json output, which never has colour). */
  off?: boolean;
}

/** --no-color (or --json) > FORCE_COLOR (set, not 0/false) > NO_COLOR (set, non-empty) and TERM=dumb > whether it is a TTY. */
export function colourEnabled({ isTTY, env, off = false }: ColourInput): boolean {
  if (off) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

/** Styles for text; each is the identity when colour is off. */
export interface Palette {
  readonly enabled: boolean;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const sgr = (on: number, off: number) => (text: string) => `\x1b[${on}m${text}\x1b[${off}m`;
const same = (text: string): string => text;

/** A palette that colours when `enabled`, and changes nothing otherwise. */
export const palette = (enabled: boolean): Palette =>
  enabled
    ? { enabled, green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), bold: sgr(1, 22), dim: sgr(2, 22) }
    : { enabled, green: same, red: same, yellow: same, bold: same, dim: same };

/** The palette for output that must stay plain (JSON, model prompts, files). */
export const PLAIN: Palette = palette(false);

const GOOD = new Set(["passed", "kept", "green"]);
const BAD = new Set(["failed", "error", "errors", "stuck", "rolled_back", "rejected", "timeout", "max_iterations", "red"]);
const UNDONE = new Set(["undone", "skipped", "interrupted", "progress"]);

/** A status word in its colour: passed/kept green, failed/stuck/rolled back red, undone/skipped yellow. */
export function paintStatus(p: Palette, status: string, text: string = status): string {
  const key = status.toLowerCase();
  if (GOOD.has(key)) return p.green(text);
  if (BAD.has(key)) return p.red(text);
  if (UNDONE.has(key)) return p.yellow(text);
  return text;
}

/** argv without the global --no-color flag (options only: not after "--"), and whether it was there. */
export function takeNoColorFlag(argv: readonly string[]): { argv: string[]; noColor: boolean } {
  const end = argv.indexOf("--");
  const options = end < 0 ? argv : argv.slice(0, end);
  const rest = end < 0 ? [] : argv.slice(end);
  const kept = options.filter((a) => a !== "--no-color");
  return { argv: [...kept, ...rest], noColor: kept.length !== options.length };
}
