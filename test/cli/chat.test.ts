// `redgreen chat` driven as a real process: slash commands on piped stdin, the chat model on the loopback server.
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { runProcess } from "../../src/process/run.js";
import { openStore } from "../../src/store/index.js";
import { startOpenAiServer } from "../helpers/openai-server.js";
import type { OpenAiTestServer } from "../helpers/openai-server.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { binPath, expectNoStackTrace, runCli } from "./run-cli.js";

/** A fresh copy of the chat fixture: prices.py misses an import (pattern), shipping.py has a logic error (LLM). */
function copyTiny(): string {
  const dest = join(mkdtempSync(join(tmpdir(), "redgreen-chat-")), "tiny");
  cpSync(fixturePath("chat", "tiny"), dest, { recursive: true });
  return dest;
}

/** Runs `redgreen chat` with these lines on stdin (then end of input, as Ctrl-D). */
async function chat(project: string, lines: string[], extraArgs: string[] = [], env: Record<string, string | undefined> = {}) {
  const r = await runProcess(process.execPath, [binPath, "chat", project, "--python", testPython, ...extraArgs], {
    cwd: project,
    env: {
      ...process.env,
      REDGREEN_DB: undefined,
      REDGREEN_MODEL: undefined,
      OPENAI_BASE_URL: undefined,
      OPENAI_API_KEY: undefined,
      ...env,
    },
    input: `${lines.join("\n")}\n`,
    timeoutMs: 90_000,
  });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, ms: r.durationMs };
}

/** A chat message's text, whether the client sent a string or content parts. */
const textOf = (content: unknown): string =>
  typeof content === "string" ? content : (content as { text?: string }[]).map((p) => p.text ?? "").join("");

let server: OpenAiTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe("redgreen chat without a model", () => {
  it("runs the slash commands: run, failures, show, analyze, fix (asks first), history, diff, undo, runs", async () => {
    const project = copyTiny();
    const r = await chat(project, [
      "/run",
      "/failures",
      "/show 1",
      "/analyze 2",
      "/fix 1",
      "n",
      "/fix 1",
      "y",
      "/history",
      "/diff",
      "/graph --mermaid",
      "/undo",
      "/runs",
      "/quit",
    ]);
    expect(r.exitCode).toBe(0);
    expectNoStackTrace(r.stderr);
    const out = r.stdout;
    expect(out).toContain("no workflow for this project yet");
    expect(out).toMatch(/redgreen> \/run\nrunning the tests …\nrun #1: 1 passed, 2 failed/);
    expect(out).toContain(" 1. tests/test_prices.py::test_with_tax\n    NameError: name 'Decimal' is not defined");
    // /show: the trace and the source around the error site, the failing line marked.
    expect(out).toContain("source prices.py:7:");
    expect(out).toMatch(/> 7 \|\s+return \(Decimal\(amount\)/);
    // /analyze 2: the logic error in shipping.py.
    expect(out).toMatch(/category:\s+assertion/);
    expect(out).toMatch(/location:\s+shipping\.py:\d+/);
    // The assertion's stack misses project code: /run measured per-test coverage, so Ochiai ranks the lines of
    // shipping.py the failing test ran (the passing test runs them too, hence 0.50), the faulty comparison first.
    expect(out).toContain(
      "suspicious lines (Ochiai, from per-test coverage):\n" +
        "  shipping.py:8 (0.50) if subtotal > FREE_FROM:\n" +
        "  shipping.py:10 (0.50) return",
    );
    // First /fix declined, second applied and proven.
    expect(out).toContain("pattern fix (add_import)");
    expect(out).toContain("+from decimal import Decimal");
    expect(out).toContain("Apply this fix? [y/N] n\nNot applied.");
    expect(out).toContain("Apply this fix? [y/N] y\napplied to prices.py");
    expect(out).toMatch(/Kept\. 2 passed, 1 failed/);
    expect(out).toMatch(
      new RegExp(
        String.raw`iteration 1: no full run\n\s+rejected\s+pattern/add_import on prices\.py \(risk low\): declined by the user` +
          String.raw`\n\s+kept\s+pattern/add_import`,
      ),
    );
    expect(out).toMatch(/redgreen> \/diff\n--- a\/prices\.py\n\+\+\+ b\/prices\.py/);
    expect(out).toContain("graph TD;");
    expect(out).toContain("restored prices.py");
    expect(out).toMatch(/\* [0-9a-f-]{36}\s+failed/);
    expect(out.trimEnd().endsWith("bye")).toBe(true);
    expect(readFileSync(join(project, "prices.py"), "utf8")).not.toContain("from decimal import Decimal");

    const store = openStore(join(project, ".redgreen", "redgreen.db"));
    try {
      const [wf] = store.listWorkflows({ projectPath: project });
      expect(store.listFixAttempts(wf!.id).map((f) => f.status)).toEqual(["rejected", "kept"]);
    } finally {
      store.close();
    }
  });

  it("after /undo, /history shows the fix undone and /failures says its run is stale until /run", async () => {
    const project = copyTiny();
    const r = await chat(project, ["/run", "/fix 1", "y", "/failures", "/undo", "/history", "/failures", "/show 1", "/run", "/failures"]);
    expect(r.exitCode).toBe(0);
    expectNoStackTrace(r.stderr);
    const views = r.stdout.split("redgreen> ").slice(1);
    const view = (command: string, nth = 0): string => views.filter((v) => v.startsWith(`${command}\n`))[nth]!;
    expect(view("/failures", 0)).toMatch(/^\/failures\n 1\. tests\/test_shipping\.py::test_threshold_ships_free\n/);
    expect(view("/failures", 0)).not.toContain("/run to refresh");
    expect(view("/undo")).toContain("restored prices.py\nrun #2 is from before the undo: /run to refresh /failures\n");
    expect(view("/history")).toMatch(/\n\s+undone\s+pattern\/add_import on prices\.py/);
    expect(view("/history")).not.toMatch(/\bkept\s+pattern/);
    expect(view("/failures", 1)).toMatch(/test_threshold_ships_free[\s\S]*\(from run #2, before \/undo; \/run to refresh\)\n$/);
    expect(view("/show 1")).toMatch(/^\/show 1\n#1 tests\/test_shipping[\s\S]*\(from run #2, before \/undo; \/run to refresh\)\n$/);
    expect(view("/run", 1)).toContain("run #3: 1 passed, 2 failed");
    expect(view("/failures", 2)).toContain(" 1. tests/test_prices.py::test_with_tax");
    expect(view("/failures", 2)).not.toContain("/run to refresh");

    // A later session on a run older than an undo says so too (here `redgreen undo` from the shell).
    const kept = await chat(project, ["/fix 1", "y"]);
    expect(kept.stdout).toMatch(/Kept\. 2 passed, 1 failed/);
    const workflowId = /workflow ([0-9a-f-]{36})/.exec(kept.stdout)![1]!;
    expect((await runCli(["undo", workflowId, project])).stdout).toContain("restored prices.py");
    const later = await chat(project, ["/failures"]);
    expect(later.stdout).toMatch(/last test run #4 \(\S+\): 2 passed, 1 failed, coverage [\d.]+% \(before an undo: \/run to refresh\)\n/);
    expect(later.stdout).toMatch(
      /redgreen> \/failures\n 1\. tests\/test_shipping[\s\S]*\(from run #4, before an undo; \/run to refresh\)\n/,
    );
  }, 180_000);

  it("/graph draws the graph as text with the path a `redgreen run` took; /graph --mermaid gives the Mermaid text", async () => {
    const project = copyTiny();
    const run = await runCli(["run", project, "--python", testPython, "--no-llm", "--max-iterations", "1"]);
    expect(run.exitCode).toBe(1);
    const r = await chat(project, ["/graph", "/graph --mermaid", "/graph --svg"]);
    expect(r.exitCode).toBe(0);
    expectNoStackTrace(r.stderr);
    const views = r.stdout.split("redgreen> ").slice(1);
    const text = views[0]!;
    // --no-llm: the LLM node runs and skips; the pattern fix is validated; the cap of 1 iteration ends it.
    const path = "path: start → run_tests → analyze → pattern_fix → llm_fix → validate → run_tests → report → end";
    expect(text.startsWith(`/graph\n${path}\n`), text).toBe(true);
    expect(text).toContain("\n* run_tests (ran 2×)\n    => analyze      tests fail\n    => report       green, stuck or cap reached\n");
    expect(text).toContain("\n* pattern_fix\n    => llm_fix      groups without a pattern\n    -> validate     pattern fixes only\n");
    expect(text).not.toMatch(/&nbsp;|graph TD|classDef/);
    expect(text).not.toContain("\x1b"); // piped: no colour
    const mermaid = views[1]!;
    expect(mermaid).toContain("graph TD;");
    expect(mermaid).toContain("class __start__,run_tests,analyze,pattern_fix,llm_fix,validate,report,__end__ visited;");
    expect(views[2]).toBe("/graph --svg\nerror: usage: /graph, or /graph --mermaid for Mermaid text\n\nbye\n");
  });

  it("answers bad input with one line and keeps going; free text says how to configure a model", async () => {
    const project = copyTiny();
    const r = await chat(project, ["/show 1", "/bogus", "/fix x", "/run", "/show 99", "why does test_with_tax fail?", "/failures"]);
    expect(r.exitCode).toBe(0);
    expectNoStackTrace(r.stderr);
    expectNoStackTrace(r.stdout);
    expect(r.stdout).toContain("error: no failing tests in the current run (/run runs the tests again)");
    expect(r.stdout).toContain("unknown command /bogus; /help lists the commands");
    expect(r.stdout).toContain("error: usage: /show N, with N from 1 to 2 (/failures lists them)");
    expect(r.stdout).toContain("No chat model is configured, so only slash commands work");
    expect(r.stdout).toContain("--model");
    expect(r.stdout).toMatch(/redgreen> \/failures\n 1\. tests\/test_prices\.py::test_with_tax/);
    expect(r.stdout.trimEnd().endsWith("bye")).toBe(true);
  });
});

describe("redgreen chat with a model (loopback OpenAI-compatible server)", () => {
  it("streams answers with the failures in context, fixes with the LLM, and continues the conversation with --workflow", async () => {
    const project = copyTiny();
    server = await startOpenAiServer();
    const env = { REDGREEN_MODEL: "test-model", OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test" };
    server
      .respondWithText("test_threshold_ships_free fails because shipping_cost uses > where the rule says 50 or more ships free.")
      // /fix 2: no pattern fits the logic error, so the fixer asks the model.
      .respondWithToolCall(FIX_TOOL_NAME, {
        edits: [{ file: "shipping.py", find: "    if subtotal > FREE_FROM:", replace: "    if subtotal >= FREE_FROM:" }],
        explanation: "Orders of exactly FREE_FROM must ship free: use >=.",
        confidence: 0.9,
      });
    const first = await chat(project, ["/run", "/fix 1", "y", "why does test_threshold_ships_free fail?", "/fix 1", "y", "/runs"], [], env);
    expect(first.exitCode).toBe(0);
    expectNoStackTrace(first.stderr);
    expect(first.stdout).toContain("model: test-model @ ");
    expect(first.stdout).toContain(
      "redgreen> why does test_threshold_ships_free fail?\ntest_threshold_ships_free fails because shipping_cost uses > where",
    );
    // The chat request streamed and carried the current failure and the fix history in its system prompt.
    const chatRequest = server.requests[0]!;
    expect(chatRequest.body.stream).toBe(true);
    const system = chatRequest.body.messages[0];
    expect(system.role).toBe("system");
    expect(textOf(system.content)).toContain("1. tests/test_shipping.py::test_threshold_ships_free: AssertionError");
    expect(textOf(system.content)).toContain("kept pattern/add_import prices.py");
    expect(chatRequest.body.tools.map((t: { function: { name: string } }) => t.function.name)).toContain("analyze_failure");
    expect(chatRequest.body.tools.map((t: { function: { name: string } }) => t.function.name)).not.toContain("apply_fix");
    expect(first.stdout).toContain("No pattern fits; asking the model (test-model");
    expect(first.stdout).toMatch(/LLM fix \(llm:fix_assertion\): Orders of exactly FREE_FROM must ship free/);
    expect(first.stdout).toMatch(/Kept\. 3 passed, 0 failed/);
    expect(readFileSync(join(project, "shipping.py"), "utf8")).toContain("if subtotal >= FREE_FROM:");
    const workflowId = /\* ([0-9a-f-]{36})/.exec(first.stdout)![1]!;

    // A new process on the same workflow continues the conversation from the SQLite checkpoint.
    server.respondWithText("In iteration 2 the model changed > to >= in shipping.py.");
    const second = await chat(project, ["what changed in iteration 2?"], ["--workflow", workflowId], env);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`workflow ${workflowId}: passed`);
    expect(second.stdout).toContain("In iteration 2 the model changed > to >= in shipping.py.");
    const followUp = server.requests.at(-1)!.body.messages as { role: string; content: string }[];
    expect(followUp.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(textOf(followUp[1]!.content)).toBe("why does test_threshold_ships_free fail?");
    expect(textOf(followUp[2]!.content)).toContain("shipping_cost uses >");
    expect(textOf(followUp[0]!.content)).toMatch(/iteration 2: kept llm\/\S+ shipping\.py/);
    expect(existsSync(join(project, ".redgreen", "chat_history"))).toBe(false); // history is kept for terminals only
  });
});

describe("redgreen chat with a model stuck in tool calls", () => {
  it("stops it with one line naming the tool calls, and the next question is answered on a valid conversation", async () => {
    const project = copyTiny();
    server = await startOpenAiServer();
    const env = { REDGREEN_MODEL: "test-model", OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test" };
    const lastUser = (messages: { role: string; content: unknown }[]): string =>
      textOf(messages.filter((m) => m.role === "user").at(-1)?.content ?? "");
    // Every request about the first question answers with yet another tool call; the second question gets text.
    server.setFallback({
      type: "dynamic",
      reply: (req) =>
        lastUser(req.body.messages).includes("anything else")
          ? { type: "text", content: "Two tests fail: see /failures." }
          : { type: "tool_calls", calls: [{ name: "list_workflows", args: {} }] },
    });
    const r = await chat(project, ["/run", "why does it fail?", "/failures", "anything else?"], [], env);
    expect(r.exitCode).toBe(0);
    expectNoStackTrace(r.stdout);
    expectNoStackTrace(r.stderr);
    expect(r.stdout).not.toContain("Recursion limit");
    expect(r.stdout).not.toContain("internal error");
    const stuck = /error: the model made (\d+) tool calls without answering; stopped\. Ask a narrower question, or use \/run/.exec(
      r.stdout,
    );
    expect(stuck).not.toBeNull();
    const stuckRequests = server.requests.filter((q) => !lastUser(q.body.messages).includes("anything else")).length;
    expect(Number(stuck![1])).toBe(stuckRequests);
    expect(r.stdout).toMatch(/redgreen> \/failures\n 1\. tests\/test_prices\.py::test_with_tax/);
    expect(r.stdout).toContain("redgreen> anything else?\nTwo tests fail: see /failures.");
    // The follow-up is a conversation an OpenAI server accepts: every tool call of an assistant answered by a tool message.
    const followUp = server.requests.at(-1)!.body.messages as { role: string; tool_calls?: { id: string }[]; tool_call_id?: string }[];
    const answered = new Set(followUp.filter((m) => m.role === "tool").map((m) => m.tool_call_id));
    for (const m of followUp) for (const call of m.tool_calls ?? []) expect(answered.has(call.id)).toBe(true);
  });
});
