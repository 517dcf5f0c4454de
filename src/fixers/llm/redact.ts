// SecretRedactor: the one redactor of prompts and of everything stored; maps placeholders back in model edits.
import { secretEnvValues } from "../../validation/env-secrets.js";
import { fragmentSpans, secretForms } from "../../validation/secret-forms.js";
import { scanSecrets } from "../../validation/secrets.js";

export { SECRET_ENV_NAME, secretEnvValues } from "../../validation/env-secrets.js";

/** Finds secret-looking strings in text; returns each match's rule name and value. */
export type SecretFinder = (text: string) => readonly { name: string; value: string }[];

/** The shared secret catalog (data/secret-patterns.json) as a SecretFinder. */
export const catalogSecretFinder: SecretFinder = (text) =>
  scanSecrets(text).map((s) => ({ name: s.name, value: text.slice(s.start, s.end) }));

export interface SecretRedactor {
  /**
   * Text with every known secret replaced by a stable placeholder such as [REDACTED:OPENAI_API_KEY]: known values also
   * escaped (repr, JSON, URL) or truncated around "..." (a fragment of at least 8 characters), URL passwords, catalog matches.
   */
  redact(text: string): string;
  /** A JSON-like value with every string in it (object keys too) redacted; what the store writes. */
  redactValue<T>(value: T): T;
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
  /** redgreen's own model key (--api-key), redacted as [REDACTED:API_KEY] wherever it shows up. */
  apiKey?: string | undefined;
  /** Pattern matcher for secrets in text; the shared secret catalog by default. */
  findSecrets?: SecretFinder;
}

/** A placeholder as redact issues it. */
const PLACEHOLDER = /\[REDACTED:[A-Za-z0-9_#-]+\]/g;

/** Characters of redacted input a redactor remembers (all forgotten at once when full). */
const MEMO_CHARS = 8_000_000;

/** Credentials embedded in URLs (scheme://user:password@host): the password part. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]{3,})@/gi;

/** Every string in a JSON-like value (keys too) passed through `redact`; numbers, booleans and null are kept. */
function mapStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, redact));
  if (value === null || typeof value !== "object") return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    // A class instance (Error, Date, a message object) is stored as its JSON: redact that.
    const json = JSON.stringify(value) as string | undefined;
    return json === undefined ? value : mapStrings(JSON.parse(json), redact);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), mapStrings(v, redact)]));
}

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
  const own = options.apiKey === undefined ? [] : [{ name: "API_KEY", value: options.apiKey }];
  const known = [...own, ...secretEnvValues(options.env)].filter((s) => s.value.trim().length >= 6);
  // Every escaped form of a known value shows its placeholder; restore gives back the value itself.
  const forms: string[] = [];
  for (const { name, value } of known.sort((a, b) => b.value.length - a.value.length)) {
    const placeholder = label(value, name);
    for (const form of secretForms(value)) {
      if (byValue.has(form) && form !== value) continue;
      byValue.set(form, placeholder);
      forms.push(form);
    }
  }
  forms.sort((a, b) => b.length - a.length);

  const findSecrets = options.findSecrets ?? catalogSecretFinder;
  const isPlaceholder = (v: string): boolean => /^\[REDACTED[:\]]/.test(v) || v.includes("[REDACTED:");

  const replaceAll = (text: string, values: Iterable<string>): string => {
    const sorted = [...new Set(values)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of sorted) if (out.includes(v)) out = out.split(v).join(byValue.get(v) ?? label(v, "SECRET"));
    return out;
  };

  /** Replaces truncated known values (a piece bordering "..." or "…"), longest pieces first. */
  const replaceFragments = (text: string): string => {
    const spans = fragmentSpans(text, forms).sort((a, b) => a.start - b.start || b.end - a.end);
    let out = "";
    let at = 0;
    for (const span of spans) {
      if (span.start < at) continue;
      out += text.slice(at, span.start) + byValue.get(forms[span.form]!)!;
      at = span.end;
    }
    return out + text.slice(at);
  };

  const restore = (text: string): string =>
    text.includes("[REDACTED:") ? text.replace(PLACEHOLDER, (p) => byPlaceholder.get(p) ?? p) : text;

  // Stored runs repeat most strings (node ids, the same failure in the run and in its workflow): redact each once.
  const seen = new Map<string, string>();
  let seenChars = 0;
  const redact = (text: string): string => {
    if (text === "") return text;
    const cached = seen.get(text);
    if (cached !== undefined) return cached;
    const out = redactUncached(text);
    if (seenChars + text.length > MEMO_CHARS) {
      seen.clear();
      seenChars = 0;
    }
    seen.set(text, out);
    seenChars += text.length;
    return out;
  };

  function redactUncached(text: string): string {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(byValue.get(form)!);
    if (out.includes("...") || out.includes("…")) out = replaceFragments(out);
    const urlPasswords = [...out.matchAll(URL_PASSWORD)].map((m) => m[1]!).filter((p) => !isPlaceholder(p));
    if (urlPasswords.length > 0) {
      for (const p of urlPasswords) label(p, "URL_PASSWORD");
      out = replaceAll(out, urlPasswords);
    }
    const found = findSecrets(out).filter((f) => f.value.trim() !== "" && !isPlaceholder(f.value));
    if (found.length > 0) {
      for (const f of found) label(f.value, f.name);
      out = replaceAll(
        out,
        found.map((f) => f.value),
      );
    }
    return out;
  }

  return {
    redact,
    redactValue: <T>(value: T): T => mapStrings(value, redact) as T,
    restore,
    restoreEdit(find, replace) {
      const inFind = new Set(find.match(PLACEHOLDER) ?? []);
      const leaked = [...new Set(replace.match(PLACEHOLDER) ?? [])].filter((p) => byPlaceholder.has(p) && !inFind.has(p));
      if (leaked.length > 0) {
        return {
          ok: false,
          reason:
            `the edit writes redacted secret ${leaked.join(", ")} into the code where the replaced text did not contain it; secrets ` +
            `are never written into source files`,
        };
      }
      return { ok: true, find: restore(find), replace: restore(replace) };
    },
  };
}
