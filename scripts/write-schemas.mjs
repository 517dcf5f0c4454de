// `npm run schemas`: writes schemas/*.schema.json from the built zod schemas (run after `npm run build`).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { contractSchemaFiles } from "../dist/src/domain/json-schemas.js";

const dir = fileURLToPath(new URL("../schemas", import.meta.url));
mkdirSync(dir, { recursive: true });
for (const { file, text } of contractSchemaFiles()) {
  writeFileSync(join(dir, file), text);
  process.stdout.write(`wrote schemas/${file}\n`);
}
