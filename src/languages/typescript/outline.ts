// outlineTs: the definitions outline of a TS/JS file (the TS counterpart of the Python helper's `outline`), for estimateFixRisk.
import type * as ts from "typescript";
import type { TypeScriptApi } from "../../ts-project/load.js";
import type { Outline, OutlineEntry } from "../../validation/estimate-risk.js";

const squash = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Control-flow node kinds counted per definition, under the name the outline records them by. */
const CONTROL_KINDS = {
  If: ["IfStatement"],
  For: ["ForStatement", "ForInStatement", "ForOfStatement"],
  While: ["WhileStatement", "DoStatement"],
  Switch: ["SwitchStatement"],
  Try: ["TryStatement"],
  Return: ["ReturnStatement"],
  Throw: ["ThrowStatement"],
  IfExp: ["ConditionalExpression"],
} as const satisfies Record<string, readonly (keyof typeof ts.SyntaxKind)[]>;

const controlNames = new WeakMap<TypeScriptApi, Map<ts.SyntaxKind, string>>();

/** SyntaxKind → the name CONTROL_KINDS gives it, built once per loaded compiler. */
const controlNamesOf = (ts: TypeScriptApi): Map<ts.SyntaxKind, string> => {
  let names = controlNames.get(ts);
  if (!names) {
    names = new Map(Object.entries(CONTROL_KINDS).flatMap(([name, kinds]) => kinds.map((k) => [ts.SyntaxKind[k], name] as const)));
    controlNames.set(ts, names);
  }
  return names;
};

const countControl = (ts: TypeScriptApi, root: ts.Node | undefined, into: Record<string, number> = {}): Record<string, number> => {
  const names = controlNamesOf(ts);
  const visit = (node: ts.Node): void => {
    const kind = names.get(node.kind);
    if (kind !== undefined) into[kind] = (into[kind] ?? 0) + 1;
    ts.forEachChild(node, visit);
  };
  if (root) visit(root);
  return into;
};

const functionLike = (ts: TypeScriptApi, node: ts.Node | undefined): node is ts.ArrowFunction | ts.FunctionExpression =>
  node !== undefined && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));

/** `async <T>(a: A, b?: B): R` — modifiers, type parameters, parameters and return type; bodies excluded. */
const signatureOf = (sf: ts.SourceFile, node: ts.SignatureDeclarationBase, prefix = ""): string => {
  const mods = modifiersOf(node).join(" ");
  const typeParams = node.typeParameters ? `<${node.typeParameters.map((p) => p.getText(sf)).join(", ")}>` : "";
  const params = node.parameters.map((p) => p.getText(sf)).join(", ");
  const ret = node.type ? `: ${node.type.getText(sf)}` : "";
  return squash(`${prefix}${mods ? `${mods} ` : ""}${typeParams}(${params})${ret}`);
};

// Modifier keywords of a declaration (export, async, static, …), read without the typescript module.
const modifiersOf = (node: ts.Node): string[] => {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return mods ? mods.map((m) => m.getText()).filter((m) => !m.startsWith("@")) : [];
};

/**
 * Top-level functions, classes (and their members), and module-level consts: functions/arrow functions with their
 * signature, exported values with their declared type. Control-flow counts per definition and for the module level.
 */
export function outlineTs(ts: TypeScriptApi, sf: ts.SourceFile): Outline {
  const defs: OutlineEntry[] = [];
  const moduleControl: Record<string, number> = {};
  const line = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const def = (name: string, node: ts.Node, signature: string, body: ts.Node | undefined): void => {
    defs.push({ name, line: line(node.getStart(sf)), endLine: line(node.getEnd()), signature, control: countControl(ts, body) });
  };
  for (const stmt of sf.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name) {
      def(stmt.name.text, stmt, signatureOf(sf, stmt), stmt.body);
    } else if (ts.isClassDeclaration(stmt) && stmt.name) {
      const cls = stmt.name.text;
      const heritage = (stmt.heritageClauses ?? []).map((h) => h.getText(sf)).join(" ");
      def(cls, stmt, squash(`${modifiersOf(stmt).join(" ")} class ${heritage}`), undefined);
      for (const member of stmt.members) {
        const name =
          member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name) || ts.isStringLiteral(member.name))
            ? member.name.text
            : member.name?.getText(sf);
        if (ts.isConstructorDeclaration(member)) def(`${cls}.constructor`, member, signatureOf(sf, member), member.body);
        else if (ts.isMethodDeclaration(member) && name) def(`${cls}.${name}`, member, signatureOf(sf, member), member.body);
        else if (ts.isGetAccessorDeclaration(member) && name) def(`${cls}.get ${name}`, member, signatureOf(sf, member), member.body);
        else if (ts.isSetAccessorDeclaration(member) && name) def(`${cls}.set ${name}`, member, signatureOf(sf, member), member.body);
        else if (ts.isPropertyDeclaration(member) && name) {
          const init = member.initializer;
          if (functionLike(ts, init)) def(`${cls}.${name}`, member, signatureOf(sf, init, modifiersOf(member).join(" ")), init.body);
        }
      }
    } else if (ts.isVariableStatement(stmt)) {
      const exported = modifiersOf(stmt).includes("export");
      for (const decl of stmt.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name)) {
          countControl(ts, decl, moduleControl);
          continue;
        }
        const init = decl.initializer;
        if (functionLike(ts, init)) {
          const typed = decl.type ? `: ${decl.type.getText(sf)} = ` : "";
          def(decl.name.text, stmt, signatureOf(sf, init, `${exported ? "export " : ""}${typed}`), init.body);
        } else if (exported) {
          def(decl.name.text, stmt, squash(`export ${decl.type ? decl.type.getText(sf) : ""}`), init);
        } else {
          countControl(ts, decl, moduleControl);
        }
      }
    } else if (!ts.isImportDeclaration(stmt) && !ts.isImportEqualsDeclaration(stmt)) {
      countControl(ts, stmt, moduleControl);
    }
  }
  return { defs, moduleControl };
}
