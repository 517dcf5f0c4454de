// Model-call errors: which ones are worth retrying (429, 5xx, timeouts, dropped connections), which mean the model cannot
// be used at all (unreachable endpoint, rejected key, unknown model), and how long to wait.

/** What went wrong with one model call, as a value the caller records and branches on. */
export interface ModelCallError {
  kind: "rate_limited" | "server_error" | "timeout" | "connection" | "tools_unsupported" | ModelUnavailableKind | "fatal";
  retryable: boolean;
  /** HTTP status when the server answered. */
  status: number | undefined;
  message: string;
  /** The server's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs: number | undefined;
  /** For "unreachable": what the network said (connection refused, host not found, ...). */
  network?: string;
}

/** Errors that no retry and no later round can cure: the workflow ends with status "error" at the first one. */
export const MODEL_UNAVAILABLE_KINDS = ["unreachable", "auth_rejected", "unknown_model"] as const;
export type ModelUnavailableKind = (typeof MODEL_UNAVAILABLE_KINDS)[number];

/** Connect-level failures: the endpoint cannot be reached at all (unlike a connection dropped mid-answer). */
const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found (DNS)",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connect timed out",
  UND_ERR_CONNECT_TIMEOUT: "connect timed out",
};

/** The first connect-level error code in the cause chain (the OpenAI SDK wraps fetch's TypeError, which wraps the socket error). */
function unreachableCode(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [e];
  while (queue.length > 0 && seen.size < 12) {
    const cur = queue.shift();
    if (cur === null || typeof cur !== "object" || seen.has(cur)) continue;
    seen.add(cur);
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && code in UNREACHABLE_CODES) return code;
    queue.push((cur as { cause?: unknown }).cause);
    // Node's happy-eyeballs connect reports each address it tried in an AggregateError.
    if (cur instanceof AggregateError) queue.push(...(cur.errors as unknown[]));
  }
  return undefined;
}

/** Bounded exponential backoff; keep it short in tests. */
export interface BackoffPolicy {
  /** Retries after the first try (so maxRetries + 1 calls at most). */
  maxRetries: number;
  /** Wait before the first retry; doubles each time. */
  backoffMs: number;
  /** Upper bound on any single wait, including a server's Retry-After. */
  maxBackoffMs: number;
}

const statusOf = (e: unknown): number | undefined => {
  if (e === null || typeof e !== "object") return undefined;
  const s = (e as { status?: unknown }).status ?? (e as { response?: { status?: unknown } }).response?.status;
  return typeof s === "number" ? s : undefined;
};

const retryAfterOf = (e: unknown): number | undefined => {
  const headers = (e as { headers?: unknown } | null)?.headers;
  let raw: string | null | undefined;
  if (headers instanceof Headers) raw = headers.get("retry-after");
  else if (headers !== null && typeof headers === "object") raw = (headers as Record<string, string | undefined>)["retry-after"];
  if (raw === undefined || raw === null || raw === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
};

const messageOf = (e: unknown): string => {
  const m = e instanceof Error ? e.message : String(e);
  const flat = m.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
};

/** Classifies a thrown model-call error; `timedOut` is true when our own per-call deadline fired. */
export function classifyModelError(e: unknown, timedOut: boolean): ModelCallError {
  const status = statusOf(e);
  const message = messageOf(e);
  const retryAfterMs = retryAfterOf(e);
  const base = { status, message, retryAfterMs };
  const name = e instanceof Error ? e.name : "";
  const unreachable = status === undefined && !timedOut ? unreachableCode(e) : undefined;
  if (unreachable !== undefined) return { ...base, kind: "unreachable", retryable: false, network: UNREACHABLE_CODES[unreachable] };
  if (status === 401 || status === 403) return { ...base, kind: "auth_rejected", retryable: false };
  if (status === 404 || (status === 400 && /model[^.]{0,40}(not found|does not exist)|model_not_found/i.test(message))) {
    return { ...base, kind: "unknown_model", retryable: false };
  }
  if (timedOut || name === "TimeoutError" || /timed? ?out/i.test(message)) return { ...base, kind: "timeout", retryable: true };
  if (status === 429) return { ...base, kind: "rate_limited", retryable: true };
  if (status !== undefined && status >= 500) return { ...base, kind: "server_error", retryable: true };
  if (status === 400 && /\btool/i.test(message)) return { ...base, kind: "tools_unsupported", retryable: false };
  if (status === 408 || status === 409) return { ...base, kind: "server_error", retryable: true };
  if (
    status === undefined &&
    (name === "APIConnectionError" || /connection|ECONNRESET|ECONNREFUSED|socket hang up|fetch failed/i.test(message))
  ) {
    return { ...base, kind: "connection", retryable: true };
  }
  return { ...base, kind: "fatal", retryable: false };
}

/** Milliseconds to wait before retry number `retry` (1-based), honouring Retry-After up to the cap. */
export function backoffDelay(policy: BackoffPolicy, retry: number, error: ModelCallError): number {
  const exponential = policy.backoffMs * 2 ** (retry - 1);
  const wanted = error.retryAfterMs !== undefined ? Math.max(error.retryAfterMs, exponential) : exponential;
  return Math.min(wanted, policy.maxBackoffMs);
}

/** The model a call went to, as the one-line reason names it. */
export interface ModelTarget {
  /** The model id the server was asked for. */
  model: string;
  /** The base URL the client talks to, when known. */
  endpoint?: string | undefined;
}

/** The one-line reason for an error that makes the model unusable, or null for an error a retry or a later round may cure. */
export function modelUnavailableReason(error: ModelCallError, target: ModelTarget): string | null {
  switch (error.kind) {
    case "unreachable":
      return `model unreachable${target.endpoint !== undefined ? ` at ${target.endpoint}` : ""}: ${error.network ?? "connection failed"}`;
    case "auth_rejected":
      return `model rejected the API key (${error.status ?? 401})`;
    case "unknown_model":
      return `unknown model '${target.model}' (${error.status ?? 404})`;
    default:
      return null;
  }
}
