// The checked-in schemas/*.schema.json are exactly what the zod schemas generate (run `npm run schemas` after a change).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTRACT_SCHEMA_FILES, contractSchemaFiles } from "../../src/domain/index.js";
import { packageRoot } from "../../src/paths.js";

const dir = join(packageRoot, "schemas");

describe("published JSON Schema files", () => {
  it("match the zod schemas byte for byte, and no stale file is left", () => {
    expect(readdirSync(dir).sort()).toEqual([...CONTRACT_SCHEMA_FILES].sort());
    for (const { file, text } of contractSchemaFiles()) expect(readFileSync(join(dir, file), "utf8"), file).toBe(text);
  });

  it("are draft 2020-12 and closed: a field the zod schema lacks is not allowed", () => {
    for (const { file, text } of contractSchemaFiles()) {
      const schema = JSON.parse(text) as { $schema: string; type: string; additionalProperties: boolean; required: string[] };
      expect(schema.$schema, file).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(schema.type, file).toBe("object");
      expect(schema.additionalProperties, file).toBe(false);
      expect(schema.required.length, file).toBeGreaterThan(1);
    }
  });

  it("are listed in package.json files, so the published package carries them", () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("schemas");
  });
});
