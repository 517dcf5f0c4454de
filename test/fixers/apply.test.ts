// applyFix (pure text edits) and applyEdits/restoreEdits (atomic writes, byte-for-byte restore, path safety).
import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile, chmod, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { applyEdits, applyFix, locateEdit, restoreEdits, unifiedDiff } from "../../src/fixers/apply.js";

const edit = (find: string, replace: string, nearLine?: number) => ({ file: "m.py", find, replace, ...(nearLine ? { nearLine } : {}) });

describe("applyFix", () => {
  const src = ["def f(user):", "    if user:", "        send(user.email)", "    return 1", ""].join("\n");

  it("replaces an exact whole-line match and keeps the replacement's indentation relative to it", () => {
    const out = applyFix(src, edit("        send(user.email)", "        if user.email:\n            send(user.email)"));
    expect(out).toBe(
      ["def f(user):", "    if user:", "        if user.email:", "            send(user.email)", "    return 1", ""].join("\n"),
    );
  });

  it("replaces a match at the very start of a file that starts with a blank line", () => {
    expect(applyFix("\nx = 1\ny = 2\n", edit("\nx = 1\n", "\nimport os\nx = 1\n"))).toBe("\nimport os\nx = 1\ny = 2\n");
  });

  it("applies an exact match that starts or ends with a blank line verbatim, never re-indented to the blank line", () => {
    const code = "def total(xs):\n    s = sum(xs)\n\n    return s + 1\n\n\ndef other():\n    pass\n";
    expect(applyFix(code, edit("\n    return s + 1\n\n", "\n    return s\n\n"))).toBe(code.replace("return s + 1", "return s"));
    expect(applyFix(code, edit("    s = sum(xs)\n\n", "    s = sum(xs) or 0\n\n"))).toBe(code.replace("sum(xs)\n", "sum(xs) or 0\n"));
  });

  it("keeps a deliberate dedent of an exactly located block, and re-indents a replacement that lost its indentation", () => {
    const code = "def f(x):\n    if x:\n        return 1\n    return 0\n";
    expect(applyFix(code, edit("    if x:\n        return 1\n", "    return 1 if x else 0\n"))).toBe(
      "def f(x):\n    return 1 if x else 0\n    return 0\n",
    );
    expect(applyFix(code, edit("        return 1\n", "return 2\n"))).toBe(code.replace("return 1", "return 2"));
  });

  it("re-indents a replacement whose find and replace lost their indentation", () => {
    const out = applyFix(src, edit("send(user.email)\n", "if user.email:\n    send(user.email)\n"));
    expect(out).toBe(
      ["def f(user):", "    if user:", "        if user.email:", "            send(user.email)", "    return 1", ""].join("\n"),
    );
  });

  it("matches a multi-line find whose indentation is off, line by line", () => {
    const out = applyFix(src, edit("  if user:\n      send(user.email)", "if user is not None:\n    send(user.email)"));
    expect(out).toBe(["def f(user):", "    if user is not None:", "        send(user.email)", "    return 1", ""].join("\n"));
  });

  it("aligns a dedented replacement to the exactly located line", () => {
    const out = applyFix(src, edit("    return 1", "x = 2\nreturn x"));
    expect(out).toBe(["def f(user):", "    if user:", "        send(user.email)", "    x = 2", "    return x", ""].join("\n"));
  });

  it("replaces an inline fragment without touching the rest of the line", () => {
    const code = "async def g(repo):\n    items = repo.fetch()\n    return items\n";
    expect(applyFix(code, edit("repo.fetch()", "await repo.fetch()"))).toBe(
      "async def g(repo):\n    items = await repo.fetch()\n    return items\n",
    );
  });

  it("picks the occurrence nearest the given line", () => {
    const code = "x = a.b\ny = 1\nz = 2\nw = a.b\n";
    expect(applyFix(code, edit("a.b", "a.c"), 4)).toBe("x = a.b\ny = 1\nz = 2\nw = a.c\n");
    expect(applyFix(code, edit("a.b", "a.c", 1), 4)).toBe("x = a.c\ny = 1\nz = 2\nw = a.b\n");
  });

  it("keeps CRLF line endings, including inside a multi-line replacement", () => {
    const code = "import os\r\n\r\ndef f():\r\n    return os.sep\r\n";
    const out = applyFix(code, edit("import os\n", "import os\nimport re\n"));
    expect(out).toBe("import os\r\nimport re\r\n\r\ndef f():\r\n    return os.sep\r\n");
    expect(applyFix(code, edit("    return os.sep", "    x = os.sep\n    return x"))).toBe(
      "import os\r\n\r\ndef f():\r\n    x = os.sep\r\n    return x\r\n",
    );
  });

  it("keeps a missing trailing newline missing", () => {
    const code = "a = 1\nb = 2";
    expect(applyFix(code, edit("b = 2", "b = 3"))).toBe("a = 1\nb = 3");
    expect(applyFix(code, edit("", "c = 0", 3))).toBe("a = 1\nb = 2\nc = 0");
  });

  it("inserts whole lines before nearLine for an empty find", () => {
    expect(applyFix("a = 1\nb = 2\n", edit("", "import os", 2))).toBe("a = 1\nimport os\nb = 2\n");
  });

  it("keeps a BOM and converts tab-indented targets", () => {
    const code = "\uFEFFdef f(x):\n\tx.go()\n";
    expect(applyFix(code, edit("x.go()", "if x is not None:\n    x.go()"))).toBe("\uFEFFdef f(x):\n\tif x is not None:\n\t\tx.go()\n");
  });

  it("throws not_found when the text is absent", () => {
    expect(() => applyFix("a = 1\n", edit("b = 2", "b = 3"))).toThrowError(RedgreenError);
    try {
      applyFix("a = 1\n", edit("b = 2", "b = 3"));
    } catch (e) {
      expect((e as RedgreenError).code).toBe("not_found");
    }
  });

  it("never matches inside a longer identifier (count = 0 is not total_count = 0)", () => {
    const code = "def f():\n    total_count = 0\n    items = []\n\n    count = 0\n    return count, total_count\n";
    expect(applyFix(code, edit("count = 0", "count = 1", 2))).toBe(code.replace("    count = 0", "    count = 1"));
    expect(locateEdit(code, "count = 0", 2)).toMatchObject({ how: "exact", startLine: 5 });
    // The fragment tier keeps the same rule, and a match after a non-identifier character is fine.
    expect(locateEdit(code, "  count = 0  ", 2)).toMatchObject({ how: "indent", startLine: 5 });
    expect(locateEdit("total_count = 0  # all\n", "  count = 0  ", 1)).toBeNull();
    expect(locateEdit("total_count = 0  # all\nx = 1; count = 0  # c\n", "  count = 0  ", 1)).toMatchObject({
      how: "fragment",
      startLine: 2,
    });
    expect(locateEdit("x = self.count\n", "count", 1)).toMatchObject({ startLine: 1 });
    expect(locateEdit("total_count = 0\n", "count = 0", 1)).toBeNull();
    expect(locateEdit("x = count_all()\n", "x = count", 1)).toBeNull();
  });

  it("rejects an edit whose text occurs in several places when no line singles one out", () => {
    const code = ["a = f(x)", ...Array.from({ length: 12 }, (_, i) => `v${i} = ${i}`), "j = f(x)", ""].join("\n");
    const reject = (e: ReturnType<typeof edit>): RedgreenError => {
      try {
        applyFix(code, e);
      } catch (err) {
        return err as RedgreenError;
      }
      throw new Error("expected a rejection");
    };
    // No line at all.
    const noLine = reject(edit("f(x)", "g(x)"));
    expect(noLine).toBeInstanceOf(RedgreenError);
    expect(noLine.code).toBe("usage");
    expect(noLine.message).toMatch(/m\.py: the text to replace is ambiguous: it occurs 2 times \(lines 1, 14\)/);
    // A line that is far from both places, and one exactly between two.
    expect(reject(edit("f(x)", "g(x)", 7)).message).toContain("within 5 lines of line 7");
    expect(() => locateEdit(code, "f(x)", 7)).toThrowError(/ambiguous/);
    expect(() => locateEdit("y = f(x)\ny = f(x)\n", "y = f(x)", 2)).not.toThrow();
    expect(() => locateEdit("y = 1\nz = f(x)\nz = f(x)\n", "f(x)", 1)).not.toThrow();
    expect(() => locateEdit("z = f(x)\ny = 1\nz = f(x)\n", "f(x)", 2)).toThrowError(/ambiguous/);
    // Near enough to one of them, it is that one; a single occurrence needs no line.
    expect(applyFix(code, edit("f(x)", "g(x)", 10))).toBe(code.replace("j = f(x)", "j = g(x)"));
    expect(applyFix(code, edit("a = f(x)", "a = g(x)"))).toBe(code.replace("a = f(x)", "a = g(x)"));
  });

  it("locateEdit reports how it matched", () => {
    expect(locateEdit("a\n    b = 1\n", "b = 1", 2)?.how).toBe("exact");
    expect(locateEdit("a\n    b  = 1\n", "  b  = 1\n  ", 2)?.how).toBe("indent");
    expect(locateEdit("a\n    b = 1 # x\n", "  b = 1  ", 2)).toMatchObject({ how: "fragment", startLine: 2 });
  });
});

describe("applyEdits / restoreEdits", () => {
  let root: string;
  let outside: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "redgreen-apply-"));
    outside = await mkdtemp(join(tmpdir(), "redgreen-outside-"));
    await mkdir(join(root, "pkg"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("writes the edit atomically, keeps the mode, leaves no temp file, and restores byte for byte", async () => {
    // A BOM, CRLF, a latin1 byte that is not valid UTF-8, a NUL, and no final newline.
    const original = Buffer.concat([
      Buffer.from("\uFEFFx = 1\r\ny = 'caf", "utf8"),
      Buffer.from([0xe9, 0x00]),
      Buffer.from("'\r\nz = 3", "utf8"),
    ]);
    const file = join(root, "pkg", "m.py");
    await writeFile(file, original);
    await chmod(file, 0o640);
    const applied = await applyEdits(root, [{ file: "pkg/m.py", find: "x = 1", replace: "x = 2  # é" }]);
    const written = await readFile(file);
    expect(written.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(written.toString("latin1")).toContain(
      "x = 2  # " + Buffer.from("é", "utf8").toString("latin1") + "\r\ny = 'caf\xe9\x00'\r\nz = 3",
    );
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(join(root, "pkg"))).toEqual(["m.py"]);
    expect(applied).toHaveLength(1);
    expect(applied[0]!.file).toBe("pkg/m.py");

    await restoreEdits(root, applied);
    expect((await readFile(file)).equals(original)).toBe(true);
    // A second restore is a no-op: the file already holds its original bytes.
    await restoreEdits(root, applied);
    expect((await readFile(file)).equals(original)).toBe(true);
  });

  it("applies several edits to one file bottom-up so line hints stay valid", async () => {
    await writeFile(join(root, "m.py"), "import os\n\ndef f():\n    return os.sep + re.escape('x')\n");
    await applyEdits(root, [
      { file: "m.py", find: "import os", replace: "import os\nimport re", nearLine: 1 },
      { file: "m.py", find: "re.escape('x')", replace: "re.escape('y')", nearLine: 4 },
    ]);
    expect(await readFile(join(root, "m.py"), "utf8")).toBe("import os\nimport re\n\ndef f():\n    return os.sep + re.escape('y')\n");
  });

  it("writes nothing when one of the edits does not apply", async () => {
    await writeFile(join(root, "a.py"), "a = 1\n");
    await writeFile(join(root, "b.py"), "b = 1\n");
    await expect(
      applyEdits(root, [
        { file: "a.py", find: "a = 1", replace: "a = 2" },
        { file: "b.py", find: "nope", replace: "x" },
      ]),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(await readFile(join(root, "a.py"), "utf8")).toBe("a = 1\n");
  });

  it("refuses to restore a file someone else changed since", async () => {
    await writeFile(join(root, "a.py"), "a = 1\n");
    await writeFile(join(root, "b.py"), "b = 1\n");
    const applied = await applyEdits(root, [
      { file: "a.py", find: "a = 1", replace: "a = 2" },
      { file: "b.py", find: "b = 1", replace: "b = 2" },
    ]);
    await writeFile(join(root, "a.py"), "a = 2\n# edited by a human\n");
    await expect(restoreEdits(root, applied)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("a.py") });
    // Nothing was restored, not even the untouched b.py: a restore is all or nothing.
    expect(await readFile(join(root, "b.py"), "utf8")).toBe("b = 2\n");
  });

  it.each([["../../etc/passwd"], ["/etc/passwd"], ["pkg/../../x.py"], ["C:\\Windows\\win.ini"], [""]])(
    "rejects the path %j",
    async (rel) => {
      await expect(applyEdits(root, [{ file: rel, find: "a", replace: "b" }])).rejects.toMatchObject({
        name: "RedgreenError",
        code: "usage",
      });
    },
  );

  it("rejects a symlink that resolves outside the project, and a symlinked folder too", async () => {
    await writeFile(join(outside, "secret.py"), "token = 1\n");
    await symlink(join(outside, "secret.py"), join(root, "link.py"));
    await symlink(outside, join(root, "linked-dir"));
    await expect(applyEdits(root, [{ file: "link.py", find: "token = 1", replace: "token = 2" }])).rejects.toMatchObject({ code: "usage" });
    await expect(applyEdits(root, [{ file: "linked-dir/secret.py", find: "token = 1", replace: "token = 2" }])).rejects.toMatchObject({
      code: "usage",
    });
    expect(await readFile(join(outside, "secret.py"), "utf8")).toBe("token = 1\n");
  });

  it("follows a symlink that stays inside the project and keeps the link", async () => {
    await writeFile(join(root, "pkg", "real.py"), "v = 1\n");
    await symlink(join(root, "pkg", "real.py"), join(root, "alias.py"));
    const applied = await applyEdits(root, [{ file: "alias.py", find: "v = 1", replace: "v = 2" }]);
    expect(await readFile(join(root, "pkg", "real.py"), "utf8")).toBe("v = 2\n");
    await restoreEdits(root, applied);
    expect(await readFile(join(root, "pkg", "real.py"), "utf8")).toBe("v = 1\n");
  });

  it("reports a missing file as path_not_found", async () => {
    await expect(applyEdits(root, [{ file: "nope.py", find: "a", replace: "b" }])).rejects.toMatchObject({ code: "path_not_found" });
  });
});

describe("unifiedDiff", () => {
  it("shows a hunk with context and line numbers", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h"].join("\n") + "\n";
    const after = ["a", "b", "c", "d", "E", "f", "g", "h"].join("\n") + "\n";
    expect(unifiedDiff("x.py", before, after)).toBe(
      ["--- a/x.py", "+++ b/x.py", "@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h", ""].join("\n"),
    );
  });

  it("shows an insertion at the top and marks a missing final newline", () => {
    expect(unifiedDiff("x.py", "a\nb", "import os\na\nb")).toBe(
      ["--- a/x.py", "+++ b/x.py", "@@ -1,2 +1,3 @@", "+import os", " a", " b", "\\ No newline at end of file", ""].join("\n"),
    );
    expect(unifiedDiff("x.py", "same\n", "same\n")).toBe("");
  });
});
