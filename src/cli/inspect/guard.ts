// The inspector's request guard: Host, Origin, token and JSON checks every request passes before it is routed.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The header the page sends the token in (a custom header also forces a CORS preflight, which the guard refuses). */
export const TOKEN_HEADER = "x-redgreen-token";

/** Why a request is refused: the HTTP status and a one-line reason. */
export interface Refusal {
  status: 400 | 403 | 405 | 415 | 421;
  error: string;
}

/** What the guard looks at: the method, the headers and whether the (decoded) path is under /api/. */
export interface GuardedRequest {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  api: boolean;
}

export interface InspectorGuard {
  /** The per-start secret the page must send with every API call. */
  readonly token: string;
  /** null when the request may be routed. */
  check(req: GuardedRequest): Refusal | null;
}

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

/** Compares in constant time (over digests, so lengths do not leak either). */
const sameSecret = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

const mediaType = (contentType: string | undefined): string => (contentType ?? "").split(";")[0]!.trim().toLowerCase();

/**
 * A guard for the server on loopback port `port()` (known once it listens). Host must name the loopback address with that port (DNS
 * rebinding
 * sends the attacker's name); an Origin, when sent, must be the server's own; /api/ needs the token; a POST must be
 * JSON (a cross-site form or no-cors fetch can only send text/plain, urlencoded or multipart).
 */
export function createInspectorGuard(port: () => number, token = randomBytes(32).toString("base64url")): InspectorGuard {
  return {
    token,
    check({ method, headers, api }) {
      const hosts = new Set([`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`]);
      const host = (headers.host ?? "").toLowerCase();
      if (!hosts.has(host))
        return {
          status: 421,
          error: `this inspector answers only to ${[...hosts].join(", ")}, not to Host ${JSON.stringify(headers.host ?? "")}`,
        };
      const origin = headers.origin;
      if (origin !== undefined && origin.toLowerCase() !== `http://${host}`)
        return { status: 403, error: `cross-origin requests are refused (Origin ${origin})` };
      if (method !== "GET" && method !== "HEAD" && method !== "POST")
        return { status: 405, error: `method ${method ?? ""} is not allowed` };
      if (!api) return null;
      const given = headers[TOKEN_HEADER];
      if (typeof given !== "string" || !sameSecret(given, token)) {
        return { status: 403, error: `missing or wrong ${TOKEN_HEADER} header: open the inspector with the URL it printed` };
      }
      if (method === "POST" && mediaType(headers["content-type"]) !== "application/json") {
        return { status: 415, error: "a POST must have Content-Type: application/json" };
      }
      return null;
    },
  };
}
