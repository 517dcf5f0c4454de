// lastLines: the tail of a runner's output for one-line error messages (blank lines dropped, capped at 2,000 characters).

/** The last `n` non-blank lines of `text`, at most 2,000 characters. */
export const lastLines = (text: string, n: number): string =>
  text
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-n)
    .join("\n")
    .slice(-2000);
