// Node module hooks that run the TypeScript sources directly (for child processes the tests spawn):
// `.js` imports resolve to the `.ts` file next to them, and `.ts` files are transpiled with the project's typescript.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
  sourceMap: false,
  inlineSourceMap: true,
};

export async function resolve(specifier, context, nextResolve) {
  const relative = specifier.startsWith("./") || specifier.startsWith("../");
  if (relative && specifier.endsWith(".js") && context.parentURL?.startsWith("file:")) {
    const asJs = new URL(specifier, context.parentURL);
    const asTs = new URL(asJs.href.replace(/\.js$/, ".ts"));
    if (!existsSync(fileURLToPath(asJs)) && existsSync(fileURLToPath(asTs))) return { url: asTs.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, "utf8"), { fileName, compilerOptions: COMPILER_OPTIONS });
  return { format: "module", source: outputText, shortCircuit: true };
}
