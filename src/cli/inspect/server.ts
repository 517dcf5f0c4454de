// The inspector's HTTP server on 127.0.0.1: a JSON API over the store and the checkpoint history, plus one static page.
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { buildGraph } from "../../../graph/build.js";
import type { WorkflowGraph } from "../../../graph/build.js";
import { END_NODE, describeWorkflowGraph, drawingOnlyDeps, highlightPath, workflowMermaid } from "../../../graph/visualize.js";
import type { PathHighlight } from "../../../graph/visualize.js";
import { RedgreenError, isRedgreenError } from "../../domain/errors.js";
import type { RunSummary } from "../../domain/index.js";
import type { EditJournal } from "../../store/edit-journal.js";
import type { Store } from "../../store/index.js";
import { withProjectLock } from "../../fixers/project-lock.js";
import { createLlmCallRepository } from "../../store/llm-calls.js";
import { forkWorkflow } from "./fork.js";
import { workflowGraphSvg } from "./graph-svg.js";
import { createInspectorGuard } from "./guard.js";
import { readMermaidBundle } from "./mermaid-asset.js";
import type { MermaidBundleReader } from "./mermaid-asset.js";
import { inspectorPage } from "./page.js";
import { diffValues } from "./state-diff.js";
import { iterationSeries, loadHistory, pathThrough, toTimeline } from "./timeline.js";
import type { CheckpointValues } from "./timeline.js";

/** Runs a forked workflow from its last checkpoint to the end (the composition root builds the real services). */
export type ReplayWorkflow = (workflowId: string, projectRoot: string) => Promise<RunSummary>;

export interface InspectorOptions {
  store: Store;
  journal: EditJournal;
  checkpointer: BaseCheckpointSaver;
  /** Replays forks; without it a fork is created but not run. */
  replay?: ReplayWorkflow;
  /** 0 picks a free port. The server listens on 127.0.0.1 only. */
  port: number;
  /** The workflow the page opens on (default: the newest). */
  initialWorkflowId?: string;
  /** Where Mermaid's browser bundle comes from (default: the optional mermaid package); null draws the graph as plain SVG. */
  mermaidBundle?: MermaidBundleReader;
}

export interface InspectorServer {
  /** The server's origin and root, `http://127.0.0.1:PORT/` (API calls need the token header besides). */
  readonly url: string;
  /** The page's URL with the token in it: the one to open (the page keeps the token and sends it with every API call). */
  readonly pageUrl: string;
  /** This start's secret; API calls send it in the X-Redgreen-Token header. */
  readonly token: string;
  readonly port: number;
  /** Resolves when every replay started by the page has finished (for tests and shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

type ReplayState = { status: "running" } | { status: "done"; summary: RunSummary } | { status: "error"; error: string };

const MAX_BODY = 64 * 1024;

/** Sent with every answer: no sniffing, no framing (the fork button must not be clickjacked), no Referer. */
const SAFETY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
};

const sendJson = (res: ServerResponse, status: number, value: unknown): void => {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...SAFETY_HEADERS, "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(body);
};

/** The request's path, split and percent-decoded; a malformed URL or escape is a usage error (HTTP 400). */
function parseTarget(raw: string | undefined): { pathname: string; parts: string[] } {
  try {
    const { pathname } = new URL(raw ?? "/", "http://127.0.0.1");
    return { pathname, parts: pathname.split("/").filter(Boolean).map(decodeURIComponent) };
  } catch (cause) {
    throw new RedgreenError("usage", "malformed URL", { cause });
  }
}

const httpStatusFor = (e: unknown): number => {
  if (!isRedgreenError(e)) return 500;
  return e.code === "not_found" ? 404 : e.code === "conflict" ? 409 : e.code === "usage" ? 400 : 500;
};

const readJsonBody = (req: IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new RedgreenError("usage", "request body too large"));
      else chunks.push(c);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(text === "" ? {} : JSON.parse(text));
      } catch (e) {
        reject(new RedgreenError("usage", "the request body is not JSON", { cause: e }));
      }
    });
    req.on("error", reject);
  });

/** Starts the inspector; resolves once it listens. */
export async function startInspectorServer(options: InspectorOptions): Promise<InspectorServer> {
  const { store, checkpointer } = options;
  const graph: WorkflowGraph = buildGraph(drawingOnlyDeps(), { checkpointer });
  const baseMermaid = await workflowMermaid({ graph });
  const description = await describeWorkflowGraph(graph);
  const bundle = (options.mermaidBundle ?? readMermaidBundle)();
  const page = inspectorPage({ mermaid: bundle !== null });
  const llmCalls = createLlmCallRepository(store, () => new Date().toISOString());
  const replays = new Map<string, ReplayState>();
  const running = new Set<Promise<unknown>>();

  /** The graph with a path on it: Mermaid text always, and the SVG drawing when Mermaid is not there to render it. */
  const drawing = (highlight: PathHighlight) => ({
    mermaid: highlightPath(baseMermaid, highlight),
    svg: bundle === null ? workflowGraphSvg(description, highlight) : null,
  });

  const workflowOr404 = (id: string) => {
    const wf = store.getWorkflow(id);
    if (wf === null) throw new RedgreenError("not_found", `no workflow with id ${id}`);
    return wf;
  };

  const workflowView = async (id: string) => {
    const workflow = workflowOr404(id);
    const history = await loadHistory(graph, id);
    const timeline = toTimeline(history);
    const last = history.at(-1);
    const path = pathThrough(timeline);
    const forkLog = store.listAgentLogs({ workflowId: id }).find((l) => l.phase === "fork");
    const values = (last?.values ?? {}) as CheckpointValues;
    const replay = replays.get(id) ?? null;
    return {
      workflow: { ...workflow, testResults: undefined },
      state: last?.values ?? null,
      // Why it stopped: the report step's status reason and notes (a failed replay's error when it never got there).
      stop: {
        status: workflow.status,
        reason: values.statusReason || (replay?.status === "error" ? `the replay failed: ${replay.error}` : ""),
        notes: values.notes ?? [],
      },
      // Stored redacted; redacted again with this process's secrets, so a key the run did not know is not shown either.
      llmCalls: llmCalls.list(id).map((c) => store.redactor.redactValue(c)),
      ...drawing({ visited: path, current: last && last.next.length > 0 ? last.next[0]! : null }),
      path,
      timeline,
      series: iterationSeries(history),
      fixes: store.listFixAttempts(id),
      logs: store.listAgentLogs({ workflowId: id, limit: 2000 }),
      forkedFrom: forkLog?.action ?? null,
      replay,
    };
  };

  const checkpointView = async (id: string, checkpointId: string) => {
    workflowOr404(id);
    const history = await loadHistory(graph, id);
    const timeline = toTimeline(history);
    const index = timeline.findIndex((e) => e.checkpointId === checkpointId);
    if (index < 0) throw new RedgreenError("not_found", `workflow ${id} has no checkpoint ${checkpointId}`);
    const entry = timeline[index]!;
    const values = history[index]!.values as unknown;
    const previous = index > 0 ? (history[index - 1]!.values as unknown) : {};
    const path = pathThrough(timeline, checkpointId);
    return {
      entry,
      values,
      previousCheckpointId: index > 0 ? timeline[index - 1]!.checkpointId : null,
      diff: diffValues(previous, values),
      ...drawing({ visited: path, current: entry.next[0] ?? (entry.step >= 0 ? END_NODE : null) }),
      forkable: entry.next.length > 0 && entry.node !== null && (values as { workflowId?: string }).workflowId !== undefined,
    };
  };

  const startReplay = (workflowId: string, projectRoot: string): void => {
    if (options.replay === undefined) return;
    replays.set(workflowId, { status: "running" });
    const job = options.replay(workflowId, projectRoot).then(
      (summary) => replays.set(workflowId, { status: "done", summary }),
      (e: unknown) => {
        replays.set(workflowId, { status: "error", error: e instanceof Error ? e.message : String(e) });
        // A replay that threw never reached its report step: its row would say "running" forever.
        if (store.getWorkflow(workflowId)?.status === "running") store.updateWorkflow(workflowId, { status: "error" });
      },
    );
    running.add(job);
    void job.finally(() => running.delete(job));
  };

  let port = 0;
  const guard = createInspectorGuard(() => port);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname, parts } = parseTarget(req.url);
    const refusal = guard.check({ method: req.method, headers: req.headers, api: parts[0] === "api" });
    if (refusal !== null) {
      sendJson(res, refusal.status, { error: refusal.error });
      return;
    }
    if (req.method === "GET" && pathname === "/") {
      res.writeHead(200, { ...SAFETY_HEADERS, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(page);
      return;
    }
    if (req.method === "GET" && pathname === "/assets/mermaid.min.js" && bundle !== null) {
      res.writeHead(200, { ...SAFETY_HEADERS, "content-type": "text/javascript; charset=utf-8", "cache-control": "max-age=3600" });
      res.end(bundle);
      return;
    }
    if (req.method === "GET" && pathname === "/favicon.ico") {
      res.writeHead(204, SAFETY_HEADERS).end();
      return;
    }
    if (parts[0] !== "api") {
      sendJson(res, 404, { error: `no page ${pathname}` });
      return;
    }
    if (req.method === "GET" && parts.length === 2 && parts[1] === "workflows") {
      const workflows = store
        .listWorkflows({ limit: 200 })
        .map(({ testResults: _t, fixHistory, ...w }) => ({ ...w, fixes: fixHistory.length }));
      sendJson(res, 200, { workflows, initial: options.initialWorkflowId ?? workflows[0]?.id ?? null });
      return;
    }
    if (req.method === "GET" && parts.length === 3 && parts[1] === "workflows") {
      sendJson(res, 200, await workflowView(parts[2]!));
      return;
    }
    if (req.method === "GET" && parts.length === 5 && parts[1] === "workflows" && parts[3] === "checkpoints") {
      sendJson(res, 200, await checkpointView(parts[2]!, parts[4]!));
      return;
    }
    if (req.method === "POST" && parts.length === 4 && parts[1] === "workflows" && parts[3] === "fork") {
      const body = (await readJsonBody(req)) as { checkpointId?: unknown; patch?: unknown };
      if (typeof body.checkpointId !== "string") throw new RedgreenError("usage", "checkpointId is required");
      if (body.patch !== undefined && (typeof body.patch !== "object" || body.patch === null || Array.isArray(body.patch))) {
        throw new RedgreenError("usage", "patch must be a JSON object of state values");
      }
      // Restoring the files to the checkpoint changes the project: it holds the project's lock like any other writer.
      const source = workflowOr404(parts[2]!);
      const fork = await withProjectLock(source.projectPath, { workflowId: source.id, command: "inspector fork" }, () =>
        forkWorkflow(
          { store, journal: options.journal, checkpointer, graph },
          {
            workflowId: source.id,
            checkpointId: body.checkpointId as string,
            patch: body.patch ? (body.patch as Record<string, unknown>) : undefined,
          },
        ),
      );
      startReplay(fork.workflowId, workflowOr404(fork.workflowId).projectPath);
      sendJson(res, 201, { ...fork, config: undefined, replaying: options.replay !== undefined });
      return;
    }
    sendJson(res, 404, { error: `no route ${req.method} ${pathname}` });
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      if (!res.headersSent) sendJson(res, httpStatusFor(e), { error: message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new RedgreenError("usage", `port ${options.port} is in use; pick another with --port`, { cause: e })
          : new RedgreenError("io_error", `cannot listen on 127.0.0.1:${options.port}: ${e.message}`, { cause: e }),
      ),
    );
    server.listen(options.port, "127.0.0.1", resolve);
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    pageUrl: `${url}?token=${guard.token}`,
    token: guard.token,
    port,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
