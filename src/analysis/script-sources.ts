// Reading a project's TypeScript/JavaScript sources for the analyzer: where a name is defined or exported.
import { isJsTestPath, withoutScriptExtension } from "./language.js";
import { readerMemo, type SourceReader } from "./source.js";

/** A function, method or arrow-function constant found in the project's non-test scripts. */
export interface ScriptDefinition {
  file: string;
  line: number;
  name: string;
  exported: boolean;
}

const CONTROL_WORDS = new Set(["if", "for", "while", "switch", "catch", "return", "function", "with", "typeof", "await", "new"]);
const NAME = "[A-Za-z_$][\\w$]*";
const NAME_RE = new RegExp(`^${NAME}$`);
const DECLARATION_RE = new RegExp(
  `^\\s*(export\\s+(?:default\\s+)?)?(?:declare\\s+)?(?:async\\s+)?(?:function\\*?\\s+(${NAME})\\s*[<(]|class\\s+(${NAME}` +
    `)\\b|(?:const|let|var)\\s+(${NAME})\\s*(?::[^=]+)?=)`,
);
const METHOD_RE = new RegExp(
  `^\\s+(?:(?:public|private|protected|static|async|override|readonly)\\s+)*(${NAME})\\s*(?:<[^>]*>)?\\([^)]*\\)?\\s*(?::[^={]+)?\\{?\\s*$`,
);
const EXPORT_LIST_RE = /^\s*export\s*\{([^}]*)\}/;

/** The definitions one file's lines declare (at most one per line: a declaration, else a method). */
function fileDefinitions(file: string, lines: string[]): ScriptDefinition[] {
  const exportedByList = new Set<string>();
  for (const l of lines) {
    const list = EXPORT_LIST_RE.exec(l);
    if (list && !/\bfrom\s+['"]/.test(l)) for (const m of list[1]!.matchAll(/[\w$]+/g)) exportedByList.add(m[0]);
  }
  const out: ScriptDefinition[] = [];
  lines.forEach((text, i) => {
    const d = DECLARATION_RE.exec(text);
    const name = d ? (d[2] ?? d[3] ?? d[4])! : METHOD_RE.exec(text)?.[1];
    if (name === undefined) return;
    out.push({ file, line: i + 1, name, exported: d ? d[1] !== undefined || exportedByList.has(name) : false });
  });
  return out;
}

/** Every definition in the reader's non-test scripts by name, in file and line order (one key: the reader is the index). */
const scriptDefinitions = readerMemo((reader) => {
  const definitions = new Map<string, ScriptDefinition[]>();
  for (const file of reader.scriptFiles()) {
    if (isJsTestPath(file)) continue;
    const lines = reader.lines(file);
    if (!lines) continue;
    for (const def of fileDefinitions(file, lines)) definitions.set(def.name, [...(definitions.get(def.name) ?? []), def]);
  }
  return definitions;
});

/** Where `name` is declared as a function, class, arrow-function constant or method in non-test scripts, exported ones first. */
export function findScriptDefinitions(reader: SourceReader, name: string): ScriptDefinition[] {
  if (!NAME_RE.test(name) || CONTROL_WORDS.has(name)) return [];
  const found = scriptDefinitions(reader, "").get(name) ?? [];
  return [...found].sort((a, b) => Number(b.exported) - Number(a.exported));
}

/** The identifiers of one of the reader's scripts, for typo suggestions. */
export const scriptFileIdentifiers = readerMemo((reader, relPath) => scriptIdentifiers((reader.lines(relPath) ?? []).join("\n")));

const allScriptIdentifiers = readerMemo((reader) => {
  const out = new Set<string>();
  for (const file of reader.scriptFiles()) for (const id of scriptFileIdentifiers(reader, file)) out.add(id);
  return out;
});

/** The identifiers of all the reader's scripts (tests included), for typo suggestions across the project. */
export const projectScriptIdentifiers = (reader: SourceReader): ReadonlySet<string> => allScriptIdentifiers(reader, "");

/** Identifiers in some script text (strings and comments removed), for typo suggestions. */
export function scriptIdentifiers(text: string): Set<string> {
  const stripped = text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, "''");
  const out = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_$][\w$]*/g)) if (!SCRIPT_KEYWORDS.has(m[0])) out.add(m[0]);
  return out;
}

const SCRIPT_KEYWORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else export extends false finally for function if import in " +
    "instanceof let new null return super switch this throw true try typeof undefined var void while with yield async await of as " +
    "from type interface enum implements private protected public readonly static"
  ).split(" "),
);

/** A module specifier for importing `toFile` from `fromFile` (both project-relative), without the extension. */
export function relativeSpecifier(fromFile: string, toFile: string): string {
  const from = fromFile.split("/").slice(0, -1);
  const to = withoutScriptExtension(toFile).split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join("/");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}
