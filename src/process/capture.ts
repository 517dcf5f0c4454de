// Output capture for runProcess: a head-and-tail cap in memory ("pipe") or in an unlinked temporary file ("file").
import { randomUUID } from "node:crypto";
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** "file" capture: a file past this many bytes (or 8 × the cap, when larger) is compacted to head and tail. */
const MIN_FILE_CEILING = 16 * 1024 * 1024;
/** Milliseconds between checks of a "file" capture's size while its command runs. */
export const FILE_CHECK_MS = 250;

/** What a capture kept: the first and the last half of the cap, and how many bytes between them were dropped. */
export interface CapturedOutput {
  head: Buffer;
  tail: Buffer;
  dropped: number;
  /** True when `dropped` is a lower bound (a file capture was compacted while the child wrote). */
  approximate?: boolean;
}

/** Decodes a capture (invalid UTF-8 becomes U+FFFD), marking where bytes were dropped. */
export const outputText = ({ head, tail, dropped, approximate }: CapturedOutput): string =>
  dropped > 0
    ? `${head.toString("utf8")}\n… [${approximate ? "at least " : ""}${dropped} bytes of output omitted] …\n${tail.toString("utf8")}`
    : Buffer.concat([head, tail]).toString("utf8");

/** "pipe" capture: keeps the first and last half of `max` bytes of a stream. */
export class CappedBuffer {
  private head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  private dropped = 0;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    const half = Math.floor(this.max / 2);
    if (this.headLen < half) {
      const take = Math.min(half - this.headLen, chunk.length);
      this.head.push(chunk.subarray(0, take));
      this.headLen += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailLen += chunk.length;
    while (this.tailLen > half && this.tail.length > 0) {
      const first = this.tail[0]!;
      const excess = this.tailLen - half;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLen -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailLen -= excess;
        this.dropped += excess;
      }
    }
  }
  finish(): CapturedOutput {
    return { head: Buffer.concat(this.head), tail: Buffer.concat(this.tail), dropped: this.dropped };
  }
}

/** Reads bytes [from, to) of a file. */
const readRange = (fd: number, from: number, to: number): Buffer => {
  const buf = Buffer.alloc(Math.max(0, to - from));
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
};

/**
 * "file" capture: an unlinked temporary file the child appends to. The same head-and-tail cap as
 * CappedBuffer; while the child runs, a file past the ceiling is emptied after saving its head (once)
 * and its newest half, so a child printing without end cannot fill the disk.
 */
export class FileCapture {
  readonly fd: number;
  private readonly half: number;
  /** The first bytes of the output, once the file no longer starts with them. */
  private head: Buffer | null = null;
  /** The newest bytes saved by the last compaction; they come right before the file's content. */
  private carry: Buffer = Buffer.alloc(0);
  private dropped = 0;
  private closed = false;

  constructor(
    max: number,
    private readonly ceiling: number,
  ) {
    this.half = Math.floor(max / 2);
    const path = join(tmpdir(), `redgreen-output-${process.pid}-${randomUUID()}`);
    // O_APPEND lives on the open file description the child shares, so its writes follow a truncation.
    this.fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | constants.O_APPEND, 0o600);
    try {
      unlinkSync(path);
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  /** Called periodically while the child runs. */
  compactIfLarge(): void {
    let size = fstatSync(this.fd).size;
    if (size <= this.ceiling) return;
    let start = 0;
    if (this.head === null) {
      this.head = readRange(this.fd, 0, Math.min(this.half, size));
      start = this.head.length;
    }
    let newest = readRange(this.fd, Math.max(start, size - this.half), size);
    // The child keeps writing: catch up with what arrived during the read. What it writes between the
    // last fstat and the truncation is lost, so the omitted count becomes a lower bound.
    for (let i = 0; i < 8; i++) {
      const now = fstatSync(this.fd).size;
      if (now === size) break;
      const fresh = readRange(this.fd, Math.max(size, now - this.half), now);
      newest = Buffer.concat([newest, fresh]);
      newest = newest.subarray(Math.max(0, newest.length - this.half));
      size = now;
    }
    ftruncateSync(this.fd, 0);
    const kept = Buffer.concat([this.carry, newest]);
    this.carry = Buffer.from(kept.subarray(Math.max(0, kept.length - this.half)));
    // Dropped: the file's bytes between its head and its newest half, and saved bytes pushed out of the carry.
    this.dropped += size - start - newest.length + (kept.length - this.carry.length);
  }

  /** Reads what the child left and closes the file. */
  finish(): CapturedOutput {
    try {
      const size = fstatSync(this.fd).size;
      let head = this.head;
      let start = 0;
      if (head === null) {
        head = readRange(this.fd, 0, Math.min(this.half, size));
        start = head.length;
      }
      const rest = readRange(this.fd, Math.max(start, size - this.half), size);
      const unread = size - start - rest.length;
      const kept = Buffer.concat([this.carry, rest]);
      const tail = kept.subarray(Math.max(0, kept.length - this.half));
      return { head, tail, dropped: this.dropped + unread + (kept.length - tail.length), approximate: this.head !== null };
    } finally {
      this.close();
    }
  }

  /** Closes the file (again is a no-op). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** The two file captures, or null when a temporary file cannot be created (then output goes through pipes). */
export function openFileCaptures(max: number): [FileCapture, FileCapture] | null {
  const ceiling = Math.max(MIN_FILE_CEILING, 8 * max);
  let out: FileCapture | undefined;
  try {
    out = new FileCapture(max, ceiling);
    return [out, new FileCapture(max, ceiling)];
  } catch {
    out?.close();
    return null;
  }
}
