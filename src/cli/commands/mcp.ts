// `redgreen mcp`: every redgreen tool, fix_failing_tests on the real workflow graph, as an MCP server over stdio.
import { createRedgreenToolkit } from "../../../graph/toolkit.js";
import { startMcpServer } from "../../../tools/mcp-server.js";
import { parseCommandArgs, parseSeconds, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { parsePassEnv, parseRunner, passEnvHelp, projectDirFromArg, serviceFlagOptions } from "../workflow-flags.js";

export const help = `Usage: redgreen mcp [PATH] [options]

Serves redgreen's tools to any Model Context Protocol client over stdio (stdout carries only
JSON-RPC; diagnostics go to stderr): run_tests, run_specific_test, parse_test_output,
analyze_failure, find_pattern_fix, generate_llm_fix, validate_fix, apply_fix, rollback_fix,
get_test_report, list_workflows, fix_failing_tests, which runs the whole workflow graph
with progress notifications, and start_fix / get_workflow / cancel_workflow, the same
workflow in the background (start, poll, stop). PATH (default: the current directory) is
the default project. A client that disconnects stops its workflows cleanly (resumable).

Options:
  --allow-root DIR   another directory tools may work in (repeatable); default: only PATH
  --runner R         pytest, vitest or jest for every project (default: detected per project)
  --python P         Python interpreter (default: each project's .venv/venv, else python3 on PATH)
  --db P             database file (default: PATH/.redgreen/redgreen.db, or $REDGREEN_DB)
  --test-timeout S   per-test timeout in seconds, exact (default: pytest max(60, 5x slowest test), vitest/jest the project's own; 0 = off)
  --model M          model for LLM fixes (or $REDGREEN_MODEL); "provider:model" for non-OpenAI providers
  --base-url U       OpenAI-compatible server (or $OPENAI_BASE_URL), e.g. http://localhost:11434/v1
  --api-key K        API key (or $OPENAI_API_KEY)
${passEnvHelp}
  --allow-test-edits let fixes edit test files (always risk "high"; weakening tests stays forbidden)
  --allow-risky      accept fixes that break the fix policy or look overfit (warnings, always risk "high")
  -h, --help         show this help

Client configuration, e.g.: {"command": "npx", "args": ["redgreen", "mcp", "/path/to/project"]}
The server runs until the client closes stdin (or on SIGINT/SIGTERM). Exit code 0, or 2 on a usage error.
`;

/** Runs `redgreen mcp` until the client disconnects. */
export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("mcp", {
    args,
    allowPositionals: true,
    options: {
      ...serviceFlagOptions,
      "allow-root": { type: "string", multiple: true },
      "allow-test-edits": { type: "boolean" },
      "allow-risky": { type: "boolean" },
    },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw usageError(`expected one PATH, got ${positionals.length}: ${positionals.join(" ")}`);
  const projectRoot = projectDirFromArg(ctx, positionals[0]);
  const roots = [projectRoot, ...(values["allow-root"] ?? []).map((r) => projectDirFromArg(ctx, r))];
  const testTimeoutSeconds = parseSeconds("--test-timeout", values["test-timeout"], { allowZero: true });
  const toolkit = createRedgreenToolkit({
    projectRoot,
    allowedRoots: roots,
    env: ctx.env,
    cwd: ctx.cwd,
    python: values.python,
    runner: values.runner !== undefined ? parseRunner(values.runner) : undefined,
    db: values.db,
    testTimeoutSeconds,
    model: values.model,
    baseUrl: values["base-url"],
    apiKey: values["api-key"],
    allowTestEdits: values["allow-test-edits"] === true,
    allowRisky: values["allow-risky"] === true,
    passEnv: parsePassEnv(values["pass-env"]),
  });
  try {
    const server = await startMcpServer(toolkit.deps, { stdin: process.stdin, stdout: process.stdout });
    ctx.stderr.write(`redgreen mcp: serving ${projectRoot} over stdio (database ${toolkit.store.path})\n`);
    const stop = (): void => void server.close();
    ctx.signal.addEventListener("abort", stop, { once: true });
    await server.closed;
    ctx.signal.removeEventListener("abort", stop);
  } finally {
    await toolkit.close();
  }
  ctx.stderr.write("redgreen mcp: closed\n");
  return EXIT.ok;
}
