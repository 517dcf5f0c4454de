// The published JSON Schema files (schemas/*.schema.json), generated from the zod schemas of the CLI's --json output.
import { z } from "zod";
import { JsonErrorSchema, TestCommandJsonSchema } from "./cli-json.js";
import { RunSummarySchema } from "./run-summary.js";

interface Contract {
  file: string;
  title: string;
  description: string;
  schema: z.ZodType;
}

const CONTRACTS: readonly Contract[] = [
  {
    file: "test-run-result.schema.json",
    title: "TestRunResult",
    description: "What `redgreen test --json` prints: one run of a project's test suite, plus the runner chosen and why.",
    schema: TestCommandJsonSchema,
  },
  {
    file: "run-summary.schema.json",
    title: "RunSummary",
    description: "What `redgreen run --json` and `redgreen resume --json` print: the outcome of one workflow.",
    schema: RunSummarySchema,
  },
  {
    file: "error.schema.json",
    title: "JsonError",
    description: "What a --json command prints on stdout when an error ends it (exit 2).",
    schema: JsonErrorSchema,
  },
];

/** The file names of the published schemas, in a stable order. */
export const CONTRACT_SCHEMA_FILES = CONTRACTS.map((c) => c.file);

/** Each published schema file's name and its JSON text (draft 2020-12, the output side of the zod schema). */
export function contractSchemaFiles(): { file: string; text: string }[] {
  return CONTRACTS.map(({ file, title, description, schema }) => {
    const { $schema, ...body } = z.toJSONSchema(schema, { io: "output", target: "draft-2020-12" });
    const document = { $schema, title, description, ...body };
    return { file, text: `${JSON.stringify(document, null, 2)}\n` };
  });
}
