// parseModelAnswer: turns a chat model's reply into an LlmFixResponse, from a tool call or the fenced fallback block.
import { LlmFixResponseSchema, FIX_TOOL_NAME } from "./response-schema.js";
import type { LlmEdit, LlmFixResponse } from "./response-schema.js";

/** The parts of an AIMessage the parser reads (structural, so fakes and real messages both fit). */
export interface ModelAnswer {
  content: unknown;
  tool_calls?: { name: string; args: Record<string, unknown> }[] | undefined;
  invalid_tool_calls?: { name?: string | undefined; args?: string | undefined; error?: string | undefined }[] | undefined;
}

/** How a usable answer arrived. */
export type AnswerVia = "tool_call" | "fenced_block" | "json";

/** A usable answer, or the reason it was not. */
export type ParsedAnswer = { ok: true; response: LlmFixResponse; via: AnswerVia } | { ok: false; reason: string };

/**
 * The fallback format for servers without tool calling, quoted verbatim in the system prompt:
 *
 *     ```redgreen-fix
 *     FILE: path/relative/to/project.py
 *     <<<<<<< FIND
 *     exact lines from the file
 *     =======
 *     the replacement lines
 *     >>>>>>> REPLACE
 *     EXPLANATION: one or two sentences
 *     CONFIDENCE: 0.8
 *     ```
 *
 * A block may hold several FIND/REPLACE pairs; each uses the FILE line above it. Fence lines inside a
 * FIND or REPLACE section are file text, not the end of the block. A ```json block (or a bare JSON
 * answer) holding the propose_fix arguments is accepted too, because models often answer that way.
 */
export const FENCED_FORMAT_EXAMPLE = [
  "```redgreen-fix",
  "FILE: path/relative/to/project.py",
  "<<<<<<< FIND",
  "exact lines from the file",
  "=======",
  "the replacement lines",
  ">>>>>>> REPLACE",
  "EXPLANATION: one or two sentences",
  "CONFIDENCE: 0.8",
  "```",
].join("\n");

const FENCE_OPEN = /^\s*```\s*redgreen-fix\s*$/i;
const FIND_OPEN = /^<{5,}\s*FIND\s*$/i;
const DIVIDER = /^={5,}\s*$/;
const REPLACE_CLOSE = /^>{5,}\s*REPLACE\s*$/i;

/** Flattens string or content-block message content to text. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => {
        if (typeof part === "string") return part;
        if (part !== null && typeof part === "object" && "text" in part && typeof part.text === "string") return part.text;
        return "";
      })
      .join("");
  }
  return "";
}

/** Accepts the small deviations models make (confidence as "0.8" or 80, a missing confidence, a lone edit object). */
function normalize(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const obj: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (obj.edits === undefined && typeof obj.file === "string" && typeof obj.find === "string") {
    obj.edits = [{ file: obj.file, find: obj.find, replace: obj.replace }];
  }
  // Some servers double-encode nested arrays as a JSON string.
  if (typeof obj.edits === "string") {
    try {
      obj.edits = JSON.parse(obj.edits) as unknown;
    } catch {
      /* left as is; the schema reports it */
    }
  }
  let c = obj.confidence;
  if (typeof c === "string" && c.trim() !== "") c = Number(c.trim().replace(/%$/, ""));
  if (typeof c === "number" && c > 1 && c <= 100) c = c / 100;
  obj.confidence = c === undefined || c === null ? 0.5 : c;
  if (obj.explanation === undefined || obj.explanation === null) obj.explanation = "";
  return obj;
}

const describeIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): string =>
  issues
    .slice(0, 4)
    .map((i) => `${i.path.length ? i.path.map(String).join(".") : "(root)"}: ${i.message}`)
    .join("; ");

function validate(raw: unknown, via: AnswerVia): ParsedAnswer {
  const parsed = LlmFixResponseSchema.safeParse(normalize(raw));
  if (!parsed.success)
    return { ok: false, reason: `the ${via.replace("_", " ")} did not match the fix schema (${describeIssues(parsed.error.issues)})` };
  const response = parsed.data;
  if (response.edits.length === 0) return { ok: false, reason: "the model proposed no edits" };
  const blank = response.edits.findIndex((e) => e.find.trim() === "");
  if (blank >= 0) return { ok: false, reason: `edit ${blank + 1} has an empty "find": it must be exact text from the file` };
  const same = response.edits.findIndex((e) => e.find === e.replace);
  if (same >= 0) return { ok: false, reason: `edit ${same + 1} replaces text with itself` };
  return { ok: true, response, via };
}

/** Parses every ```redgreen-fix block in the text; null when there is none. */
export function parseFencedBlocks(text: string): { edits: LlmEdit[]; explanation: string; confidence: string | undefined } | null {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let found = false;
  const edits: LlmEdit[] = [];
  const explanation: string[] = [];
  let confidence: string | undefined;
  let i = 0;
  while (i < lines.length) {
    if (!FENCE_OPEN.test(lines[i]!)) {
      i++;
      continue;
    }
    found = true;
    i++;
    let file = "";
    let inExplanation = false;
    while (i < lines.length) {
      const line = lines[i]!;
      if (/^\s*```\s*$/.test(line)) break;
      const fileMatch = /^\s*FILE:\s*(.+?)\s*$/i.exec(line);
      const explMatch = /^\s*EXPLANATION:\s*(.*)$/i.exec(line);
      const confMatch = /^\s*CONFIDENCE:\s*(.+?)\s*$/i.exec(line);
      if (FIND_OPEN.test(line.trim())) {
        inExplanation = false;
        const find: string[] = [];
        const replace: string[] = [];
        let section: "find" | "replace" | "done" = "find";
        i++;
        for (; i < lines.length && section !== "done"; i++) {
          const l = lines[i]!;
          if (section === "find" && DIVIDER.test(l)) section = "replace";
          else if (section === "replace" && REPLACE_CLOSE.test(l.trim())) section = "done";
          else (section === "find" ? find : replace).push(l);
        }
        edits.push({ file, find: find.join("\n"), replace: replace.join("\n") });
        continue;
      }
      if (fileMatch) {
        file = fileMatch[1]!.replace(/^`|`$/g, "");
        inExplanation = false;
      } else if (explMatch) {
        explanation.push(explMatch[1]!.trim());
        inExplanation = true;
      } else if (confMatch) {
        confidence = confMatch[1];
        inExplanation = false;
      } else if (inExplanation && line.trim() !== "") {
        explanation.push(line.trim());
      }
      i++;
    }
    i++;
  }
  return found ? { edits, explanation: explanation.join(" "), confidence } : null;
}

const JSON_FENCE = /```(?:json)?\s*\n([\s\S]*?)\n\s*```/gi;

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Finds a JSON object with an "edits" key in a ```json block or as the whole answer. */
function findJsonAnswer(text: string): unknown {
  const whole = tryJson(text.trim());
  if (whole !== undefined && typeof whole === "object" && whole !== null) return whole;
  for (const m of text.matchAll(JSON_FENCE)) {
    const v = tryJson(m[1]!);
    if (v !== null && typeof v === "object" && ("edits" in v || "find" in v)) return v;
  }
  return undefined;
}

const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
};

/** Reads the answer: the propose_fix tool call first, then a ```redgreen-fix block, then JSON; never throws. */
export function parseModelAnswer(answer: ModelAnswer): ParsedAnswer {
  const calls = answer.tool_calls ?? [];
  const call = calls.find((c) => c.name === FIX_TOOL_NAME) ?? (calls.length === 1 ? calls[0] : undefined);
  if (call !== undefined) return validate(call.args, "tool_call");

  const text = contentText(answer.content);
  const fenced = parseFencedBlocks(text);
  if (fenced !== null) {
    return validate({ edits: fenced.edits, explanation: fenced.explanation, confidence: fenced.confidence }, "fenced_block");
  }
  const json = findJsonAnswer(text);
  if (json !== undefined) return validate(json, "json");

  const invalid = answer.invalid_tool_calls?.[0];
  if (invalid !== undefined) {
    return { ok: false, reason: `the ${invalid.name ?? "tool"} call had unparseable arguments (${invalid.error ?? "invalid JSON"})` };
  }
  if (calls.length > 1) return { ok: false, reason: `the model called ${calls.map((c) => c.name).join(", ")} instead of ${FIX_TOOL_NAME}` };
  if (text.trim() === "") return { ok: false, reason: "the model returned an empty answer" };
  return {
    ok: false,
    reason: `the answer holds neither a ${FIX_TOOL_NAME} tool call nor a \`\`\`redgreen-fix block: "${snippet(text)}"`,
  };
}
