// SecretRedactor: keeps secret values out of prompts and stored logs, and maps placeholders back in model edits.
import { scanSecrets } from "../../validation/secrets.js";

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
}

export interface CreateSecretRedactorOptions {
  /** The process environment; values of variables with secret-looking names are redacted. */
  env: Record<string, string | undefined>;
  /** Pattern matcher for secrets in text; the shared secret catalog by default. */
  findSecrets?: SecretFinder;
}

/** Variable names whose values are treated as secrets. */
export const SECRET_ENV_NAME =
  /(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE|SIGNATURE|SALT|DSN|CERT|_PASS$|_PWD$)/i;

/** Secret-looking names whose values are not secrets (PWD is the working directory). */
const NOT_SECRET_NAMES = new Set(["PWD", "OLDPWD", "SSH_AUTH_SOCK", "XDG_SESSION_TYPE", "XDG_SESSION_CLASS", "XDG_SESSION_DESKTOP"]);

const TRIVIAL_VALUE = /^(?:true|false|yes|no|on|off|none|null|undefined|\d{1,6})$/i;

/** Values of secret-named environment variables, with the variable names, longest first. */
export function secretEnvValues(env: Record<string, string | undefined>): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || NOT_SECRET_NAMES.has(name.toUpperCase()) || !SECRET_ENV_NAME.test(name)) continue;
    const v = value.trim();
    if (v.length < 6 || TRIVIAL_VALUE.test(v)) continue;
    out.push({ name, value: v });
  }
  return out.sort((a, b) => b.value.length - a.value.length);
}

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
    restore(text) {
      if (!text.includes("[REDACTED:")) return text;
      return text.replace(/\[REDACTED:[A-Za-z0-9_#-]+\]/g, (p) => byPlaceholder.get(p) ?? p);
    },
  };
}
