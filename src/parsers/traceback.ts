// parsePythonTraceback: turns a Python traceback as text (plain CPython or pytest's long/short/native styles) into frames and exceptions.
import type { StackFrame } from "../domain/failure.js";

/** One exception of a traceback: its frames (outermost first) and its type and message. */
export interface ParsedException {
  frames: StackFrame[];
  /** As printed: qualified for non-builtins ("json.decoder.JSONDecodeError"); "" when the text holds no exception line. */
  errorType: string;
  errorMessage: string;
}

/** An earlier exception of a chained traceback and how the next one relates to it. */
export interface ChainedException extends ParsedException {
  /** "cause": `raise ... from` ("direct cause"); "context": raised while handling it ("During handling"). */
  relation: "cause" | "context";
}

/** A whole traceback: the exception that ended the test, the ones chained before it, and group members. */
export interface ParsedTraceback extends ParsedException {
  /** Earlier exceptions of a chained traceback, first-raised first. */
  chain: ChainedException[];
  /** The members of an ExceptionGroup, in printed order, when the exception is a group. */
  group?: ParsedTraceback[];
}

const CAUSE_LINE = "The above exception was the direct cause of the following exception:";
const CONTEXT_LINE = "During handling of the above exception, another exception occurred:";

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*[A-Za-z]/g;
const NATIVE_FRAME_RE = /^(\s*)File "(.+)", line (\d+)(?:, in (.+))?\s*$/;
const SHORT_FRAME_RE = /^(\S.*?):(\d+): in (\S.*?)\s*$/;
const LONG_LOCATION_RE = /^(\S.*?):(\d+):(?: ([A-Za-z_][\w.]*)?)?\s*$/;
const BARE_LOCATION_RE = /^(\S.*?):(\d+)\s*$/;
const FIXTURE_FILE_RE = /^file (.+), line (\d+)\s*$/;
const LONG_SEPARATOR_RE = /^(?:_ )+_?\s*$/;
const SECTION_HEADER_RE = /^_{3,} .* _{3,}\s*$/;
const BANNER_RE = /^={3,}.*={3,}\s*$/;
const CAPTURED_RE = /^-{3,} (?:Captured|generated xml|coverage)\b.*-{3,}\s*$/;
const CARET_RE = /^\s*[~^]+\s*$/;
const REPEATED_RE = /^\s*\[Previous line repeated \d+ more times?\]\s*$/;
const DEF_RE = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/;
const GROUP_START_RE = /^(\s*)\+ Exception Group Traceback \(most recent call last\):\s*$/;
/** An exception class name: capitalised (KeyError, Failed) or module-qualified (sqlalchemy.exc.IntegrityError, re.error). */
const EXC_LINE_RE = /^((?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*|[A-Z]\w*)(?::(?: (.*))?)?$/;

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** A location line must name a file, not be a `name = value` locals line. */
const looksLikePath = (p: string): boolean => !p.includes(" = ") && !p.startsWith("E ") && !p.startsWith(">");

/** Parses one Python traceback (any of the styles above); never throws, returns empty fields for unrecognised text. */
export function parsePythonTraceback(text: string): ParsedTraceback {
  const lines = trimToOneSection(text.replace(ANSI_RE, "").replace(/\r\n?/g, "\n").split("\n"));
  return parseLines(lines);
}

function parseLines(lines: string[]): ParsedTraceback {
  const groupAt = lines.findIndex((l) => GROUP_START_RE.test(l));
  let group: ParsedTraceback[] | undefined;
  let body = lines;
  if (groupAt >= 0) {
    // The gutter column comes from the first line under the header: a report may have stripped the header's indent.
    const gutter = lines[groupAt + 1] !== undefined && /^\s*[|+]/.test(lines[groupAt + 1]!) ? lines[groupAt + 1]! : lines[groupAt]!;
    const unwrapped = unwrapGroup(lines.slice(groupAt), indentOf(gutter));
    body = [...lines.slice(0, groupAt), ...unwrapped.outer];
    group = unwrapped.members.map(parseGroupMember).filter((m) => m.errorType !== "");
  }

  const segments: { lines: string[]; relation: "cause" | "context" | null }[] = [{ lines: [], relation: null }];
  for (const line of body) {
    const t = line.trim();
    if (t === CAUSE_LINE || t === CONTEXT_LINE) {
      // The relation describes how the *next* exception follows from the one just closed.
      segments[segments.length - 1]!.relation = t === CAUSE_LINE ? "cause" : "context";
      segments.push({ lines: [], relation: null });
    } else {
      segments[segments.length - 1]!.lines.push(line);
    }
  }
  const parsed = segments.map((s) => ({ ...parseSegment(s.lines), relation: s.relation }));
  const last = parsed[parsed.length - 1]!;
  const chain: ChainedException[] = parsed.slice(0, -1).map((p) => ({
    frames: p.frames,
    errorType: p.errorType,
    errorMessage: p.errorMessage,
    relation: p.relation ?? "context",
  }));
  const result: ParsedTraceback = { frames: last.frames, errorType: last.errorType, errorMessage: last.errorMessage, chain };
  if (group) result.group = group;
  return result;
}

/** Drops a leading pytest section header/banners and everything from the next section, summary or captured output on. */
function trimToOneSection(lines: string[]): string[] {
  let start = 0;
  while (start < lines.length && (lines[start]!.trim() === "" || SECTION_HEADER_RE.test(lines[start]!) || BANNER_RE.test(lines[start]!))) {
    start++;
  }
  let end = lines.length;
  for (let i = start; i < lines.length; i++) {
    const l = lines[i]!;
    if (SECTION_HEADER_RE.test(l) || BANNER_RE.test(l) || CAPTURED_RE.test(l)) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end);
}

/**
 * Splits a printed exception group ("+ Exception Group Traceback" with "|" gutters at column `col`) into the
 * group's own traceback lines and one line list per member, each cut at the member's gutter column.
 */
function unwrapGroup(lines: string[], col: number): { outer: string[]; members: string[][] } {
  const outer: string[] = ["Traceback (most recent call last):"];
  const members: string[][] = [];
  let current: string[] | null = null;
  for (const line of GROUP_START_RE.test(lines[0] ?? "") ? lines.slice(1) : lines) {
    if (!current) {
      const own = line.slice(col);
      if (/^\+-\+-+ /.test(own)) {
        current = [];
        members.push(current);
      } else if (own.startsWith("|")) outer.push(own.slice(2));
      else if (line.trim() === "") outer.push("");
      else break;
      continue;
    }
    // Members sit two columns in; "+---- 2 ----" starts the next, a bare "+-----" closes the group.
    const inner = line.slice(col + 2);
    if (/^\+-+ (?:\d+|\.\.\.) -+\s*$/.test(inner)) {
      current = [];
      members.push(current);
    } else if (/^\+-+\s*$/.test(inner)) break;
    else current.push(inner);
  }
  return { outer, members };
}

/** A member is a nested group (its own "+-+--- 1" separators) or one exception behind a "| " gutter. */
function parseGroupMember(lines: string[]): ParsedTraceback {
  if (GROUP_START_RE.test(lines[0] ?? "")) return parseLines(lines);
  if (lines.some((l) => /^\+-\+-+ /.test(l))) return parseLines(["+ Exception Group Traceback (most recent call last):", ...lines]);
  return parseLines(lines.map((l) => l.replace(/^\| ?/, "")));
}

/** Parses one exception's lines (no chain separators): frames in any style, then the exception text. */
function parseSegment(lines: string[]): ParsedException {
  const frames: StackFrame[] = [];
  const eLines: string[] = [];
  let nativeText: string[] | null = null;
  let native = false;
  let block: string[] = [];
  let locationType: string | undefined;
  let fixtureLookup = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (nativeText) {
      nativeText.push(line);
      continue;
    }
    if (/^Traceback \(most recent call last\):\s*$/.test(line.trim())) {
      native = true;
      block = [];
      continue;
    }
    const nf = NATIVE_FRAME_RE.exec(line);
    if (nf) {
      native = true;
      const frame: StackFrame = { file: nf[2]!, line: Number(nf[3]), function: nf[4]?.trim() ?? "<module>" };
      const frameIndent = nf[1]!.length;
      while (i + 1 < lines.length) {
        const next = lines[i + 1]!;
        if (next.trim() === "" || indentOf(next) <= frameIndent) break;
        if (NATIVE_FRAME_RE.test(next)) break;
        i++;
        if (CARET_RE.test(next) || REPEATED_RE.test(next)) continue;
        if (frame.code === undefined) frame.code = next.trim();
      }
      frames.push(frame);
      continue;
    }
    if (/^E(?:\s|$)/.test(line)) {
      eLines.push(line.slice(1));
      continue;
    }
    if (LONG_SEPARATOR_RE.test(line)) {
      block = [];
      continue;
    }
    const sf = SHORT_FRAME_RE.exec(line);
    if (sf && looksLikePath(sf[1]!)) {
      const frame: StackFrame = { file: sf[1]!, line: Number(sf[2]), function: sf[3]! };
      while (i + 1 < lines.length) {
        const next = lines[i + 1]!;
        if (!/^\s+\S/.test(next)) break;
        i++;
        if (CARET_RE.test(next) || next.trim() === "???") continue;
        if (frame.code === undefined) frame.code = next.trim();
      }
      frames.push(frame);
      block = [];
      continue;
    }
    const ff = FIXTURE_FILE_RE.exec(line);
    if (ff) {
      // pytest's "fixture 'x' not found" report: `file <path>, line N` then the test's def line.
      const def = lines[i + 1] !== undefined ? DEF_RE.exec(lines[i + 1]!) : null;
      frames.push({ file: ff[1]!, line: Number(ff[2]), function: def?.[2] ?? "<module>", code: lines[i + 1]?.trim() });
      fixtureLookup = true;
      if (def) i++;
      block = [];
      continue;
    }
    const ll = LONG_LOCATION_RE.exec(line);
    if (ll && looksLikePath(ll[1]!) && !native) {
      frames.push(frameFromLongBlock(ll[1]!, Number(ll[2]), block));
      if (ll[3]) locationType = ll[3];
      block = [];
      continue;
    }
    if (fixtureLookup && BARE_LOCATION_RE.test(line)) continue;
    if (fixtureLookup && line.startsWith(">") && eLines.length > 0) {
      // "> available fixtures: ..." belongs to the lookup error's message.
      eLines.push(line.slice(1));
      continue;
    }
    if (native && frames.length > 0 && line.trim() !== "" && indentOf(line) === 0) {
      nativeText = [line];
      continue;
    }
    block.push(line);
  }

  let exc: { errorType: string; errorMessage: string; syntaxFrames: StackFrame[] };
  if (eLines.length > 0) exc = parseExceptionText(eLines, locationType);
  else if (nativeText) exc = parseExceptionText(nativeText, locationType);
  else exc = parseExceptionText(lastExceptionLike(block), locationType);
  if (fixtureLookup && exc.errorType === "" && /^fixture '.+' not found/.test(exc.errorMessage)) {
    exc.errorType = "FixtureLookupError";
  }
  // pytest reports some failures with prose only ("async def functions are not natively supported."): keep it as the message.
  if (frames.length === 0 && exc.errorType === "" && exc.errorMessage === "") exc.errorMessage = lines.join("\n").trim();
  return { frames: [...frames, ...exc.syntaxFrames], errorType: exc.errorType, errorMessage: exc.errorMessage };
}

/** A long-style entry: source lines with a `>` marker, closed by `path:line: [ExcType]`; the function is the enclosing def. */
function frameFromLongBlock(file: string, line: number, block: string[]): StackFrame {
  let marker = -1;
  for (let j = block.length - 1; j >= 0; j--) {
    if (block[j]!.startsWith(">")) {
      marker = j;
      break;
    }
  }
  const frame: StackFrame = { file, line, function: "<module>" };
  if (marker < 0) return frame;
  const markerLine = " " + block[marker]!.slice(1);
  frame.code = markerLine.trim();
  const codeIndent = indentOf(markerLine);
  // The enclosing def is the nearest one above the marker that is indented less than the marked line.
  for (let j = marker - 1; j >= 0; j--) {
    const d = DEF_RE.exec(block[j]!);
    if (d && d[1]!.length < codeIndent) {
      frame.function = d[2]!;
      break;
    }
  }
  return frame;
}

/** For text with no frames at all (a bare "ValueError: boom", a group member): the lines from the last exception line on. */
function lastExceptionLike(lines: string[]): string[] {
  for (let j = lines.length - 1; j >= 0; j--) {
    if (EXC_LINE_RE.test(lines[j]!.trim()) && indentOf(lines[j]!) === 0) return lines.slice(j);
  }
  return [];
}

/** Reads "Type: message" (plus continuation lines) and a SyntaxError's own File/caret block from exception text. */
function parseExceptionText(
  raw: string[],
  locationType: string | undefined,
): { errorType: string; errorMessage: string; syntaxFrames: StackFrame[] } {
  const nonEmpty = raw.filter((l) => l.trim() !== "");
  const base = nonEmpty.length === 0 ? 0 : Math.min(...nonEmpty.map(indentOf));
  const lines = raw.map((l) => l.slice(Math.min(base, indentOf(l))).trimEnd());
  const syntaxFrames: StackFrame[] = [];
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === "") k++;
  // SyntaxError/IndentationError print `File "x", line N` (no function), the source line and a caret before the type line.
  for (;;) {
    const m = k < lines.length ? NATIVE_FRAME_RE.exec(lines[k]!) : null;
    if (!m) break;
    const frame: StackFrame = { file: m[2]!, line: Number(m[3]), function: m[4]?.trim() ?? "<module>" };
    k++;
    while (k < lines.length && indentOf(lines[k]!) > m[1]!.length && lines[k]!.trim() !== "") {
      if (!CARET_RE.test(lines[k]!) && frame.code === undefined) frame.code = lines[k]!.trim();
      k++;
    }
    syntaxFrames.push(frame);
  }
  const rest = lines.slice(k);
  while (rest.length > 0 && rest[rest.length - 1]!.trim() === "") rest.pop();
  if (rest.length === 0) return { errorType: locationType ?? "", errorMessage: "", syntaxFrames };
  const first = rest[0]!;
  const m = EXC_LINE_RE.exec(first);
  if (m) {
    const message = [m[2] ?? "", ...rest.slice(1)].join("\n").trim();
    return { errorType: m[1]!, errorMessage: message, syntaxFrames };
  }
  const message = rest.join("\n").trim();
  // pytest's assertion rewriting prints `assert 2 == 3` without the AssertionError prefix.
  if (/^assert\b/.test(first)) return { errorType: locationType ?? "AssertionError", errorMessage: message, syntaxFrames };
  return { errorType: locationType ?? "", errorMessage: message, syntaxFrames };
}
