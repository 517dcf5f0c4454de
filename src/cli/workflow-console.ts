// Console side of a workflow run: live progress lines on stderr and the y/n approval prompt for --approve.
import { createInterface } from "node:readline/promises";
import { TEST_PHASE_LABEL, type ApprovalAnswer, type ApprovalRequest, type WorkflowEvent } from "../../graph/deps.js";
import type { CliContext } from "./context.js";
import { createProgressReporter } from "./progress.js";

/** Prints node transitions as lines and test progress as a live line (or nothing when quiet). */
export function createWorkflowEventPrinter(ctx: CliContext, quiet: boolean): ((e: WorkflowEvent) => void) | undefined {
  if (quiet) return undefined;
  const tests = createProgressReporter({ stream: ctx.stderr, tty: ctx.stderr.isTTY, paint: ctx.colour.stderr });
  let testsLive = false;
  return (e) => {
    if (e.kind === "tests") {
      testsLive = true;
      // The full suite is the plain line it always was; the proof's other runs say which they are.
      tests.update({ collected: e.collected, done: e.done, failed: e.failed }, e.phase === "full" ? undefined : TEST_PHASE_LABEL[e.phase]);
      return;
    }
    if (testsLive) {
      tests.done();
      testsLive = false;
    }
    ctx.stderr.write(`[iteration ${e.iteration}] ${e.node}: ${e.message}\n`);
  };
}

/** Asks on the terminal whether to apply a fix; refuses to run without one. */
export function createTerminalApprover(ctx: CliContext): (request: ApprovalRequest) => Promise<ApprovalAnswer> {
  return async (request) => {
    ctx.stderr.write(
      `\nProposed ${request.source} fix (${request.strategy}, risk ${request.risk}) for ${request.file}:\n` +
        `${request.explanation}\n\n${request.diff}\n`,
    );
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      const answer = await rl.question("Apply this fix? [y/N] ", { signal: ctx.signal });
      return { approve: /^y(es)?$/i.test(answer.trim()) };
    } finally {
      rl.close();
    }
  };
}
