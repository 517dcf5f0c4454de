// SourceCache: source files read at most once per run, for the code lines of stack frames.
import { readFileSync } from "node:fs";

/** Source files by absolute path, each read once until clear(); adapters clear it at every run (a fix may have edited the files). */
export class SourceCache {
  private readonly files = new Map<string, string[] | null>();

  /** The file's lines, or null when it is unreadable. */
  lines(absFile: string): string[] | null {
    if (!this.files.has(absFile)) {
      try {
        this.files.set(absFile, readFileSync(absFile, "utf8").split("\n"));
      } catch {
        this.files.set(absFile, null);
      }
    }
    return this.files.get(absFile) ?? null;
  }

  /** A line (1-based) trimmed, or undefined when it is blank or unreadable. */
  line(absFile: string, line: number): string | undefined {
    return this.lines(absFile)?.[line - 1]?.trim() || undefined;
  }

  /** The file's text, or null when it is unreadable. */
  text(absFile: string): string | null {
    return this.lines(absFile)?.join("\n") ?? null;
  }

  clear(): void {
    this.files.clear();
  }
}
