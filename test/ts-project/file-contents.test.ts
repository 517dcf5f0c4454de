// createFileContents: content-based versions, with git's racy-clean rule on a fake disk whose timestamps are coarse.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileContents, type FileStamp } from "../../src/ts-project/file-contents.js";

/** A disk with 1 s timestamps (mtime and ctime both), a settable clock, and a count of file reads. */
function coarseDisk() {
  const files = new Map<string, { bytes: Buffer; stamp: FileStamp }>();
  const disk = {
    clock: 10_000,
    reads: 0,
    write(path: string, text: string): void {
      const tick = Math.floor(disk.clock / 1000) * 1000;
      files.set(path, { bytes: Buffer.from(text), stamp: { mtimeMs: tick, ctimeMs: tick, size: Buffer.byteLength(text), ino: 7 } });
    },
    remove: (path: string) => files.delete(path),
    contents: () =>
      createFileContents({
        stat: (path) => files.get(path)?.stamp,
        readBytes: (path) => {
          disk.reads++;
          const f = files.get(path);
          if (!f) throw new Error(`ENOENT: ${path}`);
          return f.bytes;
        },
        now: () => disk.clock,
      }),
  };
  return disk;
}

describe("createFileContents", () => {
  it("re-reads a file whose stat is unchanged while its mtime is within 2 s of the read (same-tick, same-size writes)", () => {
    const disk = coarseDisk();
    const contents = disk.contents();
    disk.write("/p/a.ts", "export const a = 1;\n");
    disk.clock += 300;
    const first = contents.get("/p/a.ts")!;
    expect(first.text).toBe("export const a = 1;\n");
    // Rolled back and rewritten in the same tick at the same size: the stat cannot tell.
    disk.clock += 100;
    disk.write("/p/a.ts", "export const a = 2;\n");
    disk.clock += 100;
    const second = contents.get("/p/a.ts")!;
    expect(second.text).toBe("export const a = 2;\n");
    expect(second.hash).not.toBe(first.hash);
    expect(disk.reads).toBe(2);
  });

  it("serves a settled file from the cache without reading it, and reads it again when its stat changes or after forget()", () => {
    const disk = coarseDisk();
    const contents = disk.contents();
    disk.write("/p/a.ts", "export const a = 1;\n");
    contents.get("/p/a.ts");
    disk.clock += 2500;
    // The first read clearly after the write settles the entry; later ones cost a stat only.
    const settled = contents.get("/p/a.ts")!;
    expect(disk.reads).toBe(2);
    for (let i = 0; i < 5; i++) expect(contents.get("/p/a.ts")).toBe(settled);
    expect(disk.reads).toBe(2);
    disk.write("/p/a.ts", "export const a = 22;\n");
    expect(contents.get("/p/a.ts")!.text).toBe("export const a = 22;\n");
    expect(disk.reads).toBe(3);
    disk.clock += 2500;
    contents.get("/p/a.ts");
    contents.forget();
    contents.get("/p/a.ts");
    expect(disk.reads).toBe(5);
  });

  it("gives equal hashes for equal content, strips a BOM, and reports missing files as undefined", () => {
    const disk = coarseDisk();
    const contents = disk.contents();
    disk.write("/p/a.ts", "\uFEFFexport {};\n");
    disk.write("/p/b.ts", "\uFEFFexport {};\n");
    expect(contents.get("/p/a.ts")).toMatchObject({ text: "export {};\n", hash: contents.get("/p/b.ts")!.hash });
    disk.remove("/p/a.ts");
    expect(contents.get("/p/a.ts")).toBeUndefined();
    expect(contents.get("/p/never.ts")).toBeUndefined();
  });

  it("sees a same-size rewrite on the real file system with the mtime set back", () => {
    const dir = mkdtempSync(join(tmpdir(), "redgreen-contents-"));
    try {
      const file = join(dir, "a.ts");
      const contents = createFileContents();
      writeFileSync(file, "export const a = 1;\n");
      utimesSync(file, 1_700_000_000, 1_700_000_000);
      expect(contents.get(file)!.text).toBe("export const a = 1;\n");
      writeFileSync(file, "export const a = 2;\n");
      utimesSync(file, 1_700_000_000, 1_700_000_000);
      expect(contents.get(file)!.text).toBe("export const a = 2;\n");
      expect(contents.get(join(dir, "missing.ts"))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
