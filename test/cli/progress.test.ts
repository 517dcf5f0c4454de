import { describe, expect, it } from "vitest";
import { createProgressReporter } from "../../src/cli/progress.js";

const recorder = (): { stream: { write(t: string): void }; text: () => string } => {
  let out = "";
  return { stream: { write: (t: string) => void (out += t) }, text: () => out };
};

describe("progress on stderr", () => {
  it("prints a plain line at most once a second into a pipe, and the final count at the end", () => {
    let now = 0;
    const rec = recorder();
    const p = createProgressReporter({ stream: rec.stream, tty: false, now: () => now });
    p.update({ collected: null, done: 0, failed: 0 });
    now = 200;
    p.update({ collected: 3, done: 1, failed: 0 });
    now = 1100;
    p.update({ collected: 3, done: 2, failed: 1 });
    now = 1300;
    p.update({ collected: 3, done: 3, failed: 1 });
    p.done();
    expect(rec.text()).toBe(
      ["progress: 0 tests done, 0 failed", "progress: 2/3 tests done, 1 failed", "progress: 3/3 tests done, 1 failed", ""].join("\n"),
    );
  });

  it("redraws one line on a terminal and clears it at the end", () => {
    let now = 0;
    const rec = recorder();
    const p = createProgressReporter({ stream: rec.stream, tty: true, now: () => now });
    p.update({ collected: 2, done: 1, failed: 0 });
    now = 50;
    p.update({ collected: 2, done: 2, failed: 0 });
    now = 150;
    p.update({ collected: 2, done: 2, failed: 1 });
    p.done();
    expect(rec.text()).toBe("\r\x1b[2K1/2 tests done, 0 failed\r\x1b[2K2/2 tests done, 1 failed\r\x1b[2K");
  });
});
