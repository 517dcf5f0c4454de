// The secret catalog (data/secret-patterns.json): credential regexes, placeholder values and the entropy rule, validated at load.
import { z } from "zod";
import { readCatalog } from "../data-catalog.js";
import { dataPath } from "../paths.js";

const compiles = (pattern: string, flags = ""): boolean => {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
};

/** One credential pattern as stored in the catalog. */
export const SecretPatternSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/),
    description: z.string(),
    pattern: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .optional(),
    /** Capture group holding the secret itself; 0 = the whole match. */
    secretGroup: z.number().int().nonnegative(),
  })
  .refine((p) => compiles(p.pattern, p.flags), { message: "pattern does not compile" });
export type SecretPattern = z.infer<typeof SecretPatternSchema>;

/** The high-entropy rule's parameters (see the catalog's own description). */
export const EntropyRuleSchema = z.object({
  description: z.string().optional(),
  minLength: z.number().int().positive(),
  maxLength: z.number().int().positive(),
  /** A regex character class of the characters a token may contain. */
  charset: z.string().refine((c) => compiles(c), { message: "charset does not compile" }),
  maxThreshold: z.number().positive(),
  belowLog2Length: z.number().nonnegative(),
  minDigits: z.number().int().nonnegative(),
  keywordThreshold: z.number().positive(),
  /** Tokens whose camel/snake words average at least this many letters are identifiers, not secrets. */
  maxMeanWordLength: z.number().positive(),
  /** Tokens where this share of neighbours ascend by one code point (abcd…, 0123…) are alphabets, not secrets. */
  maxSequentialRatio: z.number().positive().max(1),
  keywords: z.string().refine((k) => compiles(k, "i"), { message: "keywords do not compile" }),
});
export type EntropyRule = z.infer<typeof EntropyRuleSchema>;

export const SecretCatalogFileSchema = z.object({
  description: z.string().optional(),
  patterns: z
    .array(SecretPatternSchema)
    .min(1)
    .refine((ps) => new Set(ps.map((p) => p.name)).size === ps.length, { message: "pattern names must be unique" }),
  /** Values that are not secrets (CHANGEME, <your-key>, ${VAR}, CONSTANT_NAMES); flags "i" for case-insensitive. */
  placeholders: z.array(
    z
      .object({
        pattern: z.string().min(1),
        flags: z
          .string()
          .regex(/^[iu]*$/)
          .optional(),
      })
      .refine((p) => compiles(p.pattern, p.flags), { message: "placeholder does not compile" }),
  ),
  entropy: EntropyRuleSchema,
});
export type SecretCatalogFile = z.infer<typeof SecretCatalogFileSchema>;

/** The catalog with every expression compiled, ready for scanning. */
export interface SecretCatalog {
  patterns: Array<{ name: string; regex: RegExp; secretGroup: number }>;
  placeholders: RegExp[];
  entropy: EntropyRule & { tokenRegex: RegExp; keywordRegex: RegExp };
}

/** Compiles a validated catalog (the `d` flag gives capture-group offsets for redaction). */
export const compileSecretCatalog = (file: SecretCatalogFile): SecretCatalog => ({
  patterns: file.patterns.map((p) => ({ name: p.name, regex: new RegExp(p.pattern, `${p.flags ?? ""}gd`), secretGroup: p.secretGroup })),
  placeholders: file.placeholders.map((p) => new RegExp(p.pattern, p.flags ?? "")),
  entropy: {
    ...file.entropy,
    // A candidate is a whole string literal, or a whole unquoted value at the end of a `key = value` line.
    tokenRegex: new RegExp(
      `(["'\`])(${file.entropy.charset}{${file.entropy.minLength},${file.entropy.maxLength}})\\1|[=:][ \\t]*(` +
        `${file.entropy.charset}{${file.entropy.minLength},${file.entropy.maxLength}})[ \\t]*$`,
      "gmd",
    ),
    keywordRegex: new RegExp(file.entropy.keywords, "i"),
  },
});

const cache = new Map<string, SecretCatalog>();

/** Loads and validates a secret catalog (default: the shipped one); parsed once per path since it is immutable. */
export function loadSecretCatalog(path: string = dataPath("secret-patterns.json")): SecretCatalog {
  const cached = cache.get(path);
  if (cached) return cached;
  const catalog = compileSecretCatalog(readCatalog(path, SecretCatalogFileSchema, "secret catalog"));
  cache.set(path, catalog);
  return catalog;
}
