// Model-call errors: which ones are worth retrying (429, 5xx, timeouts, dropped connections) and how long to wait.

/** What went wrong with one model call, as a value the caller records and branches on. */
export interface ModelCallError {
  kind: "rate_limited" | "server_error" | "timeout" | "connection" | "tools_unsupported" | "fatal";
  retryable: boolean;
  /** HTTP status when the server answered. */
  status: number | undefined;
  message: string;
  /** The server's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs: number | undefined;
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
  if (timedOut || name === "TimeoutError" || /timed? ?out/i.test(message)) return { ...base, kind: "timeout", retryable: true };
  if (status === 429) return { ...base, kind: "rate_limited", retryable: true };
  if (status !== undefined && status >= 500) return { ...base, kind: "server_error", retryable: true };
  if (status === 400 && /\btool/i.test(message)) return { ...base, kind: "tools_unsupported", retryable: false };
  if (status === 408 || status === 409) return { ...base, kind: "server_error", retryable: true };
  if (status === undefined && (name === "APIConnectionError" || /connection|ECONNRESET|ECONNREFUSED|socket hang up|fetch failed/i.test(message))) {
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
