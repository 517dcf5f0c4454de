// Helpers for Python exception type names as printed ("json.decoder.JSONDecodeError", "KeyError").

/** The class name without its module: "sqlalchemy.exc.IntegrityError" → "IntegrityError". */
export const shortErrorType = (errorType: string): string => {
  const parts = errorType.trim().split(".");
  return parts[parts.length - 1] ?? errorType;
};

/** The first non-empty line of an error message, for one-line summaries. */
export const firstLine = (message: string): string =>
  message
    .split("\n")
    .find((l) => l.trim() !== "")
    ?.trim() ?? "";
