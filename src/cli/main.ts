// main: the redgreen command line — global flags, dispatch to a lazily loaded command, exit codes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../paths.js";
import { usageError } from "./args.js";
import { colourEnabled, palette, takeNoColorFlag } from "./colour.js";
import { commands, findCommand } from "./commands.js";
import { EXIT } from "./context.js";
import type { CliContext } from "./context.js";
import { formatError, formatJsonError, wantsJson } from "./errors.js";

const version = (): string => (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;

const globalHelp = (): string => {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length));
  return `redgreen ${version()}: takes a red test suite to green.

Usage: redgreen <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join("\n")}

Options:
  -h, --help       show this help; \`redgreen <command> --help\` shows a command's options
  -V, --version    print the version
  --no-color       no colour (also NO_COLOR=1; FORCE_COLOR=1 forces it; --json output never has colour)

Exit codes: 0 success, 1 tests failed, 2 usage or environment error, 130 interrupted.
Environment: REDGREEN_DB (database file), REDGREEN_DEBUG=1 (stack traces on errors), REDGREEN_TIMINGS=1 (phase timeline).
`;
};

/** Edit distance, for "did you mean" on a mistyped command. */
const distance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
};

/** Runs one command line against a context; returns the exit code. Throws only RedgreenErrors and bugs. */
export async function dispatch(argv: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    ctx.stderr.write(globalHelp());
    return EXIT.usage;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    ctx.stdout.write(globalHelp());
    return EXIT.ok;
  }
  if (first === "--version" || first === "-V") {
    ctx.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (first.startsWith("-")) throw usageError(`unknown option '${first}' (see redgreen --help)`);
  const entry = findCommand(first);
  if (entry === undefined) {
    const close = Object.keys(commands).find((n) => distance(n, first) <= 2);
    throw usageError(`unknown command '${first}'${close ? `; did you mean '${close}'?` : ""} (see redgreen --help)`);
  }
  const command = await entry.load();
  return command.run(rest, ctx);
}

/** The process entry point bin/redgreen.js calls; the only place redgreen exits the process. */
export async function main(rawArgv: string[]): Promise<void> {
  const { argv, noColor } = takeNoColorFlag(rawArgv);
  const off = noColor || wantsJson(argv);
  // A reader that stops early (`redgreen test --json | head`) closes the pipe: that is not an error of ours.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  const controller = new AbortController();
  let exitOnSignal: number = EXIT.interrupted;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C means "now": the subprocess groups are killed by runProcess's exit hook.
    if (controller.signal.aborted) process.exit(exitOnSignal);
    exitOnSignal = signal === "SIGTERM" ? 143 : EXIT.interrupted;
    process.stderr.write(`\nredgreen: interrupted, stopping …\n`);
    controller.abort(new Error(`received ${signal}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const ctx: CliContext = {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: { write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
    colour: {
      stdout: palette(colourEnabled({ isTTY: process.stdout.isTTY === true, env: process.env, off })),
      stderr: palette(colourEnabled({ isTTY: process.stderr.isTTY === true, env: process.env, off })),
    },
    signal: controller.signal,
  };
  let code: number;
  try {
    code = await dispatch(argv, ctx);
  } catch (e) {
    process.stderr.write(formatError(e, ctx.env.REDGREEN_DEBUG === "1"));
    // A --json caller reads stdout only: it gets one error object there too.
    if (wantsJson(argv)) process.stdout.write(formatJsonError(e));
    code = EXIT.usage;
  }
  if (controller.signal.aborted) code = exitOnSignal;
  // Let a large --json document reach a pipe before exiting.
  await new Promise<void>((done) => process.stdout.write("", () => done()));
  process.exit(code);
}
