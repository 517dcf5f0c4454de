// Node ids ("file::name", the format every TestRunResult and Failure uses): split into file and name, and made stable
// across runs (volatile parts of a test name such as a property test's seed replaced by placeholders); a test path's segments.

/** A project-relative path's folders and file name (either slash; empty and "." segments dropped), as test-file conventions read them. */
export function pathSegments(relPath: string): { dirs: string[]; base: string } {
  const parts = relPath
    .replace(/\\/g, "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  return { dirs: parts.slice(0, -1), base: parts[parts.length - 1] ?? "" };
}

/**
 * Splits a node id at its first "::" into the test file and the test name inside it ("" for a bare file path, e.g. a module's collection
 * error).
 */
export function splitNodeId(nodeId: string): { testFile: string; testName: string } {
  const at = nodeId.indexOf("::");
  return at < 0 ? { testFile: nodeId, testName: "" } : { testFile: nodeId.slice(0, at), testName: nodeId.slice(at + 2) };
}

/** A part of a test name that changes from run to run: how to find it, what stands for it in a stable id. */
export interface VolatilePart {
  placeholder: string;
  /** RegExp source finding the part in a name (lookbehinds keep its context, e.g. "seed=", outside the match). */
  find: string;
  /** RegExp source matching any value of the part: the wildcard a runner's name filter uses in its place. */
  wildcard: string;
}

/**
 * The volatile parts of test names, tried in this order: a property test's seed ("(with seed=-12345)", "seed: 7"),
 * UUIDs, date-times and epoch timestamps, temporary paths, random hex of 8+ characters (letters and digits) and measured
 * durations ("12.5ms"). A bare date, a whole number of seconds or a word are kept: they name tests, they do not vary.
 */
export const VOLATILE_PARTS: readonly VolatilePart[] = [
  { placeholder: "<seed>", find: String.raw`(?<=\bseed\s*[=:]\s*)-?\d+`, wildcard: String.raw`-?\d+` },
  {
    placeholder: "<uuid>",
    find: String.raw`\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b`,
    wildcard: String.raw`[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}`,
  },
  {
    placeholder: "<time>",
    // An ISO date-time to the second, or a Unix time in seconds or milliseconds from 2017 to 2033.
    find:
      String.raw`\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?` +
      String.raw`|\b1[5-9]\d{8}(?:\d{3})?(?:\.\d+)?\b`,
    wildcard: String.raw`[0-9][0-9T:.,Z +-]*`,
  },
  { placeholder: "<tmp>", find: String.raw`(?:/private)?/(?:tmp|var/folders)/[^\s'"\`()[\],;]+`, wildcard: String.raw`/[^\s'"\`()[\],;]+` },
  {
    placeholder: "<hex>",
    find: String.raw`\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b`,
    wildcard: String.raw`[0-9a-fA-F]{8,}`,
  },
  {
    placeholder: "<duration>",
    find: String.raw`\b\d+\.\d+ ?(?:ns|us|µs|ms|s|sec|secs|seconds)\b`,
    wildcard: String.raw`\d+\.\d+ ?[a-zµ]+`,
  },
];

const finders = VOLATILE_PARTS.map((p) => ({ part: p, re: new RegExp(p.find) }));

/**
 * Whether `nodeId` is `scope` or lies inside it: a test of a file or class ("f::C::t" in "f::C" and in "f"), a file of a
 * directory ("tests/a.py" in "tests"); "." holds everything. The one containment rule for node ids.
 */
export const liesWithin = (scope: string, nodeId: string): boolean =>
  scope === "." || nodeId === scope || nodeId.startsWith(`${scope}::`) || (!scope.includes("::") && nodeId.startsWith(`${scope}/`));

/**
 * Every scope some of `nodeIds` lie within (liesWithin's rule): each id, its classes and file, the file's folders, and "."
 * when there is any id. One set lookup then answers "does a test of this scope appear?" for a whole run at once.
 */
export function scopesHolding(nodeIds: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of nodeIds) {
    out.add(".");
    for (const holder of holdersOf(id)) out.add(holder);
    const file = id.split("::", 1)[0]!;
    // Only a scope without "::" can hold an id by folder ("tests" holds "tests/a.py::t"): the file part's folders.
    const parts = file.split("/");
    for (let k = 1; k < parts.length; k++) out.add(parts.slice(0, k).join("/"));
  }
  return out;
}

/** A node id and the ids of the classes and file that hold it, innermost first ("f::C::t" → f::C::t, f::C, f). */
export const holdersOf = (nodeId: string): string[] => {
  const parts = nodeId.split("::");
  return parts.map((_, i) => parts.slice(0, parts.length - i).join("::"));
};

/**
 * The stable form of a node id: every volatile part of its name replaced by its placeholder, so the same test has the
 * same id in every run ("t.test.ts::sorts (with seed=-912)" → "t.test.ts::sorts (with seed=<seed>)"). The file part is
 * kept as it is. Every comparison of tests across runs goes through it.
 */
export function stableNodeId(nodeId: string): string {
  const at = nodeId.indexOf("::");
  return at < 0 ? nodeId : `${nodeId.slice(0, at + 2)}${stableTestName(nodeId.slice(at + 2))}`;
}

/** The stable form of a test name (the part of a node id after "::"): its volatile parts replaced by placeholders. */
export const stableTestName = (name: string): string =>
  volatileSegments(name)
    .map((s) => s.part?.placeholder ?? s.text)
    .join("");

/** The stable ids of a run's tests, for membership tests against ids from another run. */
export const stableIdSet = (nodeIds: Iterable<string>): Set<string> => new Set([...nodeIds].map(stableNodeId));

/** Whether two node ids name the same test (across runs). */
export const sameTest = (a: string, b: string): boolean => a === b || stableNodeId(a) === stableNodeId(b);

/**
 * A test name cut into literal text and volatile parts, in order: what a runner's name filter needs to match the same
 * test in a later run (literal text escaped, each volatile part replaced by its wildcard).
 */
export function volatileSegments(name: string): { text: string; part: VolatilePart | null }[] {
  const out: { text: string; part: VolatilePart | null }[] = [];
  let rest = name;
  for (;;) {
    let best: { index: number; length: number; part: VolatilePart } | null = null;
    for (const f of finders) {
      // Each finder runs on the remaining text only, so a lookbehind's context must sit inside it; "seed=" always does.
      const m = f.re.exec(rest);
      if (m && m[0].length > 0 && (best === null || m.index < best.index)) best = { index: m.index, length: m[0].length, part: f.part };
    }
    if (best === null) break;
    if (best.index > 0) out.push({ text: rest.slice(0, best.index), part: null });
    out.push({ text: rest.slice(best.index, best.index + best.length), part: best.part });
    rest = rest.slice(best.index + best.length);
  }
  if (rest !== "" || out.length === 0) out.push({ text: rest, part: null });
  return out;
}
