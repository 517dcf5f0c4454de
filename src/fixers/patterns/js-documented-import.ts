// The import of a name no project file imports and TypeScript offers no fix for (a package without types, an unchecked
// JS file): the one statement a declared package's own README binds that exact name with, written in the file's style.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import type ts from "typescript";
import { declaredPackages, packageNameOf } from "../../ts-project/packages.js";
import type { TsFileView, TsProject } from "../../ts-project/types.js";
import { fileImports, withImportAfterLast } from "./js-import-habit.js";

/** How a README binds a name: `x = require("m")`, `import x from "m"`, `import { x } from "m"`. */
type Form = "require" | "default" | "named";

/** One way a README binds the name; `extra` when the binding goes on past the module (`require("debug")("http")`). */
interface Binding {
  form: Form;
  spec: string;
  extra: boolean;
}

/** The file's import to restore, and the package whose README documents it. */
export interface DocumentedImport {
  text: string;
  statement: string;
  pkg: string;
}

const README_RE = /^readme(\.(md|markdown|txt))?$/i;
const MAX_README_CHARS = 200_000;
const escape = (s: string): string => s.replace(/[$]/g, "\\$");

/** The README of `pkg` as installed for `fromDir` (the nearest node_modules up to the project root), or null. */
function readmeOf(projectRoot: string, fromDir: string, pkg: string): string | null {
  const root = resolve(projectRoot);
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const home = join(dir, "node_modules", pkg);
    if (existsSync(join(home, "package.json"))) {
      const file = readdirSync(home).find((f) => README_RE.test(f));
      return file ? readFileSync(join(home, file), "utf8").slice(0, MAX_README_CHARS) : null;
    }
    if (dir === root || dirname(dir) === dir || !dir.startsWith(root + sep)) return null;
  }
}

/** Every binding of `name` to a module of `pkg` in a README's text. */
function bindingsIn(readme: string, name: string, pkg: string): Binding[] {
  const n = escape(name);
  const out: Binding[] = [];
  const ofPkg = (spec: string): boolean => packageNameOf(spec) === pkg;
  for (const m of readme.matchAll(
    new RegExp(`\\b(?:var|let|const)\\s+${n}\\s*=\\s*require\\(\\s*["']([^"']+)["']\\s*\\)(\\s*[(.[])?`, "g"),
  )) {
    if (ofPkg(m[1]!)) out.push({ form: "require", spec: m[1]!, extra: m[2] !== undefined });
  }
  for (const m of readme.matchAll(new RegExp(`\\bimport\\s+${n}\\s+from\\s+["']([^"']+)["']`, "g"))) {
    if (ofPkg(m[1]!)) out.push({ form: "default", spec: m[1]!, extra: false });
  }
  // `import { encode, decode } from "m"`: the name among the braces, not renamed (`{ a as encode }` binds a).
  for (const m of readme.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s+["']([^"']+)["']/g)) {
    const names = m[1]!.split(",").map((e) => e.trim());
    if (names.includes(name) && ofPkg(m[2]!)) out.push({ form: "named", spec: m[2]!, extra: false });
  }
  return out;
}

/** The file's import style, read off its first import: module system, keyword, quote, semicolon; null without one. */
function styleOf(view: TsFileView): { esm: boolean; keyword: string; quote: string; semi: string } | null {
  const first = fileImports(view)[0];
  if (!first) return null;
  const t = view.ts;
  const text = first.getText(view.sourceFile);
  const quote = /["']/.exec(text)?.[0] ?? '"';
  const semi = text.trimEnd().endsWith(";") ? ";" : "";
  if (t.isImportDeclaration(first)) return { esm: true, keyword: "import", quote, semi };
  const list = (first as ts.VariableStatement).declarationList;
  const keyword = list.flags & t.NodeFlags.Const ? "const" : list.flags & t.NodeFlags.Let ? "let" : "var";
  return { esm: false, keyword, quote, semi };
}

function documented(view: TsFileView, projectRoot: string, name: string): DocumentedImport | null {
  const style = styleOf(view);
  if (!style) return null;
  const fromDir = dirname(resolve(projectRoot, view.file));
  const found: { pkg: string; binding: Binding }[] = [];
  for (const pkg of declaredPackages(projectRoot, fromDir)) {
    const readme = readmeOf(projectRoot, fromDir, pkg);
    const bindings = readme ? bindingsIn(readme, name, pkg) : [];
    // A README that binds the name in more than one way (`require("debug")` and `require("debug")("http")`) decides nothing.
    const ways = new Set(bindings.map((b) => `${b.form} ${b.spec} ${b.extra}`));
    if (ways.size > 1) return null;
    if (bindings[0]) found.push({ pkg, binding: bindings[0] });
  }
  if (found.length !== 1 || found[0]!.binding.extra) return null;
  const { pkg, binding } = found[0]!;
  if (style.esm !== (binding.form !== "require")) return null; // the README's module system is not the file's
  const spec = `${style.quote}${binding.spec}${style.quote}`;
  const statement =
    binding.form === "require"
      ? `${style.keyword} ${name} = require(${spec})${style.semi}`
      : `import ${binding.form === "named" ? `{ ${name} }` : name} from ${spec}${style.semi}`;
  const text = withImportAfterLast(view, name, statement);
  return text === null ? null : { text, statement, pkg };
}

/** The file's text with the import of `name` that one declared package's README documents, or null when none or several do. */
export async function documentedImport(project: TsProject, file: string, name: string): Promise<DocumentedImport | null> {
  if (!project.inspect) return null;
  return project.inspect(file, (view) => documented(view, project.projectRoot, name));
}
