// Parser for pytest's JUnit XML report: the fallback when the bundled plugin could not load.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { RedgreenError } from "../domain/errors.js";
import type { Failure, FailurePhase } from "../domain/failure.js";
import { zeroCounts } from "../domain/test-run.js";
import { focusFrames, hintFromMessage, pythonFailure, withFrameKinds } from "./pytest-frames.js";
import { parsePythonTraceback } from "./traceback.js";
import type { PytestRunParts } from "./pytest-jsonl.js";

/**
 * What a pytest JUnit report says about a run: the same parts as the plugin's event stream (same counting as
 * pytest's summary line), except that JUnit cannot tell an xpass from a pass: xpassed stays 0.
 */
export type JUnitRunParts = Pick<
  PytestRunParts,
  | "passed"
  | "failed"
  | "errors"
  | "skipped"
  | "xfailed"
  | "xpassed"
  | "total"
  | "failures"
  | "passedNodeIds"
  | "skippedNodeIds"
  | "testDurations"
>;

export interface ParseJUnitOptions {
  /** Project root: relativizes absolute paths in frames. */
  rootDir?: string;
}

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set(["testsuite", "testcase", "failure", "error", "skipped", "property", "system-out", "system-err"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

const attr = (node: XmlNode, name: string): string => {
  const v = node[`@${name}`];
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
};
const text = (node: unknown): string => {
  if (typeof node === "string") return node;
  if (node && typeof node === "object") {
    const t = (node as XmlNode)["#text"];
    return typeof t === "string" ? t : t === undefined ? "" : String(t);
  }
  return "";
};
const list = (v: unknown): XmlNode[] => (Array.isArray(v) ? (v as XmlNode[]) : v && typeof v === "object" ? [v as XmlNode] : []);

/** Rebuilds pytest's node id from a testcase's classname, name and (xunit1) file attributes. */
export function junitNodeId(classname: string, name: string, file: string): string {
  const isClass = (p: string): boolean => /^[A-Z]/.test(p);
  // Collection errors have an empty classname and the module's dotted path as name.
  if (!classname) return file || `${name.replace(/\./g, "/")}.py`;
  const parts = classname.split(".");
  if (file) {
    const modDotted = file.replace(/\.py$/, "").replace(/\//g, ".");
    const classes =
      classname === modDotted
        ? []
        : classname.startsWith(`${modDotted}.`)
          ? classname.slice(modDotted.length + 1).split(".")
          : parts.filter(isClass);
    return [file, ...classes, name].join("::");
  }
  // xunit2 has no file attribute: the module path ends before the first capitalised part (a class).
  const firstClass = parts.findIndex(isClass);
  const mod = firstClass < 0 ? parts : parts.slice(0, firstClass);
  const classes = firstClass < 0 ? [] : parts.slice(firstClass);
  return [`${mod.join("/")}.py`, ...classes, name].join("::");
}

const TYPE_MSG_RE =
  /^((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt|Warning|Failed|Timeout|Iteration|Group)|[A-Z]\w*): ?([\s\S]*)$/;
const PHASE_MSG_RE = /^failed on (setup|teardown) with "([\s\S]*)"$/;
const CRASH_LINE_RE = /^(\S.*?):(\d+): ((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s*$/;

/** errorType and errorMessage from a JUnit failure/error element (message attribute first, body second). */
function typeAndMessage(
  message: string,
  body: string,
  parsedType: string,
  parsedMessage: string,
): { errorType: string; errorMessage: string } {
  if (message.startsWith("[XPASS(strict)]")) return { errorType: "XPASS(strict)", errorMessage: message.slice(15).trim() };
  const m = TYPE_MSG_RE.exec(message);
  if (m) return { errorType: m[1]!, errorMessage: m[2]! };
  // pytest's crash line closes the long report: "path:line: ErrorType".
  const lines = body.trimEnd().split("\n");
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 3); i--) {
    const c = CRASH_LINE_RE.exec(lines[i]!.trim());
    if (c) return { errorType: c[3]!, errorMessage: parsedType === c[3] ? parsedMessage : message };
  }
  if (parsedType) return { errorType: parsedType, errorMessage: parsedMessage || message };
  if (message.startsWith("assert ")) return { errorType: "AssertionError", errorMessage: message };
  return { errorType: "Error", errorMessage: message };
}

function failureFrom(
  nodeId: string,
  phase: FailurePhase,
  element: XmlNode,
  testcase: XmlNode,
  duration: number,
  rootDir?: string,
): Failure {
  let message = attr(element, "message");
  const body = text(element);
  const phaseMsg = PHASE_MSG_RE.exec(message);
  if (phaseMsg) message = phaseMsg[2]!;
  const parsed = parsePythonTraceback(body);
  let { errorType, errorMessage } = typeAndMessage(message, body, parsed.errorType, parsed.errorMessage);
  if (phase === "collect" && message === "collection failure" && parsed.errorType) {
    errorType = parsed.errorType;
    errorMessage = parsed.errorMessage;
  }
  const frames = focusFrames(withFrameKinds(parsed.frames, rootDir), errorType);
  const failure = pythonFailure({ nodeId, errorType, errorMessage, trace: body, frames, phase, durationSeconds: duration });
  if (parsed.chain.length > 0) {
    failure.chain = [...parsed.chain.map((c) => ({ errorType: c.errorType, errorMessage: c.errorMessage })), { errorType, errorMessage }];
  }
  const hint = hintFromMessage(errorMessage);
  if (hint) failure.hint = hint;
  const out = [...list(testcase["system-out"]), ...list(testcase["system-err"])].map(text).filter(Boolean).join("\n");
  if (out) failure.capturedOutput = out;
  return failure;
}

/** Parses pytest's JUnit XML (xunit1 or xunit2); throws RedgreenError("parse_failed") when it is not valid XML. */
export function parseJUnitXml(xml: string, options: ParseJUnitOptions = {}): JUnitRunParts {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new RedgreenError("parse_failed", `JUnit XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const doc = parser.parse(xml) as XmlNode;
  const root = (doc.testsuites as XmlNode | undefined) ?? doc;
  const suites = list(root.testsuite);
  if (suites.length === 0 && !doc.testsuites) {
    throw new RedgreenError("parse_failed", "JUnit XML has no <testsuites> or <testsuite> element");
  }
  const parts: JUnitRunParts = {
    ...zeroCounts(),
    failures: [],
    passedNodeIds: [],
    skippedNodeIds: [],
    testDurations: new Map(),
  };
  for (const suite of suites) {
    for (const tc of list(suite.testcase)) {
      const classname = attr(tc, "classname");
      const name = attr(tc, "name");
      const file = attr(tc, "file");
      const nodeId = junitNodeId(classname, name, file);
      const duration = Math.max(0, Number(attr(tc, "time")) || 0);
      parts.testDurations.set(nodeId, duration);
      const failures = list(tc.failure);
      const errors = list(tc.error);
      const skips = list(tc.skipped);
      const isCollect = classname === "" && attr(errors[0] ?? {}, "message") === "collection failure";
      for (const f of failures) {
        parts.failed++;
        parts.failures.push(failureFrom(nodeId, "call", f, tc, duration, options.rootDir));
      }
      let teardownOnly = failures.length === 0 && skips.length === 0 && errors.length > 0;
      for (const e of errors) {
        const message = attr(e, "message");
        const phase: FailurePhase = isCollect ? "collect" : message.startsWith("failed on teardown") ? "teardown" : "setup";
        if (phase !== "teardown") teardownOnly = false;
        parts.errors++;
        parts.failures.push(failureFrom(nodeId, phase, e, tc, duration, options.rootDir));
      }
      for (const s of skips) {
        if (attr(s, "type") === "pytest.xfail") parts.xfailed++;
        else {
          parts.skipped++;
          if (!parts.skippedNodeIds.includes(nodeId)) parts.skippedNodeIds.push(nodeId);
        }
      }
      // A call that passed before a teardown error counts as passed too, as in pytest's summary.
      if ((failures.length === 0 && errors.length === 0 && skips.length === 0) || teardownOnly) {
        parts.passed++;
        if (!teardownOnly) parts.passedNodeIds.push(nodeId);
      }
    }
  }
  parts.total = parts.passed + parts.failed + parts.errors + parts.skipped + parts.xfailed + parts.xpassed;
  return parts;
}
