// SecretRedactor: keeps secret values out of prompts and stored logs, and maps placeholders back in model edits.
import { secretEnvValues } from "../../validation/env-secrets.js";
import { scanSecrets } from "../../validation/secrets.js";

export { SECRET_ENV_NAME, secretEnvValues } from "../../validation/env-secrets.js";

/** Finds secret-looking strings in text; returns each match's rule name and value. */
export type SecretFinder = (text: string) => readonly { name: string; value: string }[];

/** The shared secret catalog (data/secret-patterns.json) as a SecretFinder. */
export const catalogSecretFinder: SecretFinder = (text) =>
  scanSecrets(text).map((s) => ({ name: s.name, value: text.slice(s.start, s.end) }));

export interface SecretRedactor {
  /** Text with every known secret value replaced by a stable placeholder such as [REDACTED:OPENAI_API_KEY]. */
  redact(text: string): string;
  /** Puts the real values back for placeholders this redactor issued (used on edits, which never leave the machine). */
  restore(text: string): string;
  /**
   * Restores one find/replace edit: `find` fully; `replace` only for placeholders that also appear in that `find`
   * (the original text held the value). A placeholder issued by this redactor that appears only in `replace`
   * would write a secret into the source, so the edit is refused with a reason naming the placeholder.
   */
  restoreEdit(find: string, replace: string): RestoredEdit;
}

/** An edit with its placeholders restored, or why it may not be. */
export type RestoredEdit = { ok: true; find: string; replace: string } | { ok: false; reason: string };

export interface CreateSecretRedactorOptions {
  /** The process environment; values of variables with secret-looking names are redacted. */
  env: Record<string, string | undefined>;
  /** Pattern matcher for secrets in text; the shared secret catalog by default. */
  findSecrets?: SecretFinder;
}

/** A placeholder as redact issues it. */
const PLACEHOLDER = /\[REDACTED:[A-Za-z0-9_#-]+\]/g;

/** Credentials embedded in URLs (scheme://user:password@host): the password part. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]{3,})@/gi;

/** Builds a redactor over the environment's secrets and the catalog; placeholders are stable per value. */
export function createSecretRedactor(options: CreateSecretRedactorOptions): SecretRedactor {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const label = (value: string, name: string): string => {
    const known = byValue.get(value);
    if (known !== undefined) return known;
    const tag = name.replace(/[^A-Za-z0-9_]/g, "_");
    let placeholder = `[REDACTED:${tag}]`;
    for (let n = 2; byPlaceholder.has(placeholder); n++) placeholder = `[REDACTED:${tag}#${n}]`;
    byValue.set(value, placeholder);
    byPlaceholder.set(placeholder, value);
    return placeholder;
  };
  const envSecrets = secretEnvValues(options.env);
  for (const { name, value } of envSecrets) label(value, name);

  const findSecrets = options.findSecrets ?? catalogSecretFinder;
  const isPlaceholder = (v: string): boolean => /^\[REDACTED[:\]]/.test(v) || v.includes("[REDACTED:");

  const replaceAll = (text: string, values: Iterable<string>): string => {
    const sorted = [...new Set(values)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of sorted) if (out.includes(v)) out = out.split(v).join(byValue.get(v) ?? label(v, "SECRET"));
    return out;
  };

  const restore = (text: string): string =>
    text.includes("[REDACTED:") ? text.replace(PLACEHOLDER, (p) => byPlaceholder.get(p) ?? p) : text;

  return {
    redact(text) {
      if (text === "") return text;
      let out = replaceAll(text, envSecrets.map((s) => s.value));
      const urlPasswords = [...out.matchAll(URL_PASSWORD)].map((m) => m[1]!).filter((p) => !isPlaceholder(p));
      if (urlPasswords.length > 0) {
        for (const p of urlPasswords) label(p, "URL_PASSWORD");
        out = replaceAll(out, urlPasswords);
      }
      const found = findSecrets(out).filter((f) => f.value.trim() !== "" && !isPlaceholder(f.value));
      if (found.length > 0) {
        for (const f of found) label(f.value, f.name);
        out = replaceAll(out, found.map((f) => f.value));
      }
      return out;
    },
    restore,
    restoreEdit(find, replace) {
      const inFind = new Set(find.match(PLACEHOLDER) ?? []);
      const leaked = [...new Set(replace.match(PLACEHOLDER) ?? [])].filter((p) => byPlaceholder.has(p) && !inFind.has(p));
      if (leaked.length > 0) {
        return {
          ok: false,
          reason: `the edit writes redacted secret ${leaked.join(", ")} into the code where the replaced text did not contain it; secrets are never written into source files`,
        };
      }
      return { ok: true, find: restore(find), replace: restore(replace) };
    },
  };
}
