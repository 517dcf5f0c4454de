// lazyPythonHelper: starts on the first call only, retries a failed start, closes what it started, refuses calls after close.
import { describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { lazyPythonHelper, type ClosablePythonCaller } from "../../src/python/lazy-helper.js";

function fakeStarts(failFirst: boolean) {
  const log: string[] = [];
  let attempts = 0;
  const start = async (): Promise<ClosablePythonCaller> => {
    attempts++;
    if (failFirst && attempts === 1) throw new RedgreenError("python_missing", "no python");
    const id = attempts;
    log.push(`start ${id}`);
    return {
      call: async <T>(op: string): Promise<T> => `${op} by ${id}` as T,
      close: async () => void log.push(`close ${id}`),
    };
  };
  return { start, log, attempts: () => attempts };
}

describe("lazyPythonHelper", () => {
  it("starts nothing until the first call and closes only what it started", async () => {
    const f = fakeStarts(false);
    const idle = lazyPythonHelper(f.start);
    await idle.close();
    expect(f.attempts()).toBe(0);

    const helper = lazyPythonHelper(f.start);
    expect(await helper.call<string>("parse", {})).toBe("parse by 1");
    expect(await helper.call<string>("outline", {})).toBe("outline by 1");
    await helper.close();
    expect(f.log).toEqual(["start 1", "close 1"]);
  });

  it("retries a failed start on the next call and refuses calls after close", async () => {
    const f = fakeStarts(true);
    const helper = lazyPythonHelper(f.start);
    await expect(helper.call("parse", {})).rejects.toMatchObject({ code: "python_missing" });
    expect(await helper.call<string>("parse", {})).toBe("parse by 2");
    await helper.close();
    await expect(helper.call("parse", {})).rejects.toMatchObject({ code: "internal" });
    expect(f.log).toEqual(["start 2", "close 2"]);
  });
});
