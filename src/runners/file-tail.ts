// FileTail: reads what a runner appended to its progress file since the last poll (pytest's plugin and the JS reporters).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * Tails a file that a runner appends lines to. The file stays open between polls and is read synchronously: a poll
 * is an fstat and at most one read of what was appended, cheaper than a round trip through the thread pool for each
 * of open, stat, read and close.
 */
export class FileTail {
  private offset = 0;
  private fd: number | null = null;

  constructor(
    private readonly path: string,
    /** Receives each appended chunk (it may end mid-line). */
    private readonly onChunk: (chunk: string) => void,
  ) {}

  /** Reads what was appended since the last call; true when there was something. */
  poll(): boolean {
    if (this.fd === null) {
      try {
        this.fd = openSync(this.path, "r");
      } catch {
        return false; // not written yet
      }
    }
    const size = fstatSync(this.fd).size;
    if (size <= this.offset) return false;
    const buf = Buffer.allocUnsafe(size - this.offset);
    const bytesRead = readSync(this.fd, buf, 0, buf.length, this.offset);
    this.offset += bytesRead;
    // The writers escape non-ASCII (json.dumps ensure_ascii, re-escaped JSON.stringify), so a chunk never splits a character.
    this.onChunk(buf.toString("utf8", 0, bytesRead));
    return bytesRead > 0;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
