// module-log-hooks: the resolve hook module-log.mjs registers (it runs on the loader thread, so it writes to a file).
import { appendFileSync } from "node:fs";

let logFile;

export function initialize(file) {
  logFile = file;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (logFile && resolved.url.startsWith("file:")) appendFileSync(logFile, `${resolved.url}\n`);
  return resolved;
}
