// Reading a project's TypeScript/JavaScript sources for the analyzer: where a name is defined or exported.
import { isJsTestPath } from "./language.js";
import type { SourceReader } from "./source.js";

/** A function, method or arrow-function constant found in the project's non-test scripts. */
export interface ScriptDefinition {
  file: string;
  line: number;
  name: string;
  exported: boolean;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\$]/g, "\\$&");
const CONTROL_WORDS = new Set(["if", "for", "while", "switch", "catch", "return", "function", "with", "typeof", "await", "new"]);

/** Where `name` is declared as a function, class, arrow-function constant or method in non-test scripts, exported ones first. */
export function findScriptDefinitions(reader: SourceReader, name: string): ScriptDefinition[] {
  if (!/^[A-Za-z_$][\w$]*$/.test(name) || CONTROL_WORDS.has(name)) return [];
  const n = escape(name);
  const declaration = new RegExp(
    `^\\s*(export\\s+(?:default\\s+)?)?(?:declare\\s+)?(?:async\\s+)?(?:function\\*?\\s+${n}\\s*[<(]|class\\s+${n}\\b|(?:const|let|var)\\s+${n}\\s*(?::[^=]+)?=)`,
  );
  const method = new RegExp(`^\\s+(?:(?:public|private|protected|static|async|override|readonly)\\s+)*${n}\\s*(?:<[^>]*>)?\\([^)]*\\)?\\s*(?::[^={]+)?\\{?\\s*$`);
  const exportList = new RegExp(`^\\s*export\\s*\\{[^}]*\\b${n}\\b[^}]*\\}`);
  const out: ScriptDefinition[] = [];
  for (const file of reader.scriptFiles()) {
    if (isJsTestPath(file)) continue;
    const lines = reader.lines(file);
    if (!lines) continue;
    const exportedByList = lines.some((l) => exportList.test(l) && !/\bfrom\s+['"]/.test(l));
    lines.forEach((text, i) => {
      const d = declaration.exec(text);
      if (d) out.push({ file, line: i + 1, name, exported: d[1] !== undefined || exportedByList });
      else if (method.test(text)) out.push({ file, line: i + 1, name, exported: false });
    });
  }
  return out.sort((a, b) => Number(b.exported) - Number(a.exported));
}

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
  "break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof let new null return super switch this throw true try typeof undefined var void while with yield async await of as from type interface enum implements private protected public readonly static".split(
    " ",
  ),
);

/** A module specifier for importing `toFile` from `fromFile` (both project-relative), without the extension. */
export function relativeSpecifier(fromFile: string, toFile: string): string {
  const from = fromFile.split("/").slice(0, -1);
  const to = toFile.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, "").split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join("/");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}
