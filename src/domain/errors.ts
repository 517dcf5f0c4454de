// RedgreenError: the one exception type for faults, with a code from a closed union.
export const ERROR_CODES = [
  "usage",
  "path_not_found",
  "python_missing",
  "pytest_missing",
  "runner_failed",
  "parse_failed",
  "db_error",
  "io_error",
  "config",
  "model_error",
  "conflict",
  "not_found",
  "internal",
] as const;
export type RedgreenErrorCode = (typeof ERROR_CODES)[number];

export class RedgreenError extends Error {
  readonly code: RedgreenErrorCode;
  constructor(code: RedgreenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedgreenError";
    this.code = code;
  }
}

export const isRedgreenError = (e: unknown): e is RedgreenError => e instanceof RedgreenError;
