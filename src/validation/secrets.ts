// Secret scanning: catalog patterns plus a Shannon-entropy rule; findings never carry the secret itself.
import { loadSecretCatalog } from "./secret-catalog.js";
import type { SecretCatalog } from "./secret-catalog.js";
import { lineOfOffset, lineStarts } from "../text-lines.js";

/** A secret found in a text: which rule, on which line (1-based). */
export interface SecretFinding {
  name: string;
  line: number;
}

/** A finding with the offsets of the secret part (for redaction and before/after comparison). */
export interface SecretSpan extends SecretFinding {
  start: number;
  end: number;
}

export const HIGH_ENTROPY = "high_entropy_string";

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  const n = [...text].length;
  for (const c of counts.values()) {
    const p = c / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const isPlaceholder = (value: string, catalog: SecretCatalog): boolean => catalog.placeholders.some((p) => p.test(value.trim()));

/** Mean length of a token's words (CamelCase, snake_case and CONSTANT parts); random strings average about 2. */
const meanWordLength = (token: string): number => {
  const words = token.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  return words.length === 0 ? 0 : words.reduce((sum, w) => sum + w.length, 0) / words.length;
};

const sequentialRatio = (token: string): number => {
  let ascending = 0;
  for (let i = 1; i < token.length; i++) if (token.charCodeAt(i) === token.charCodeAt(i - 1) + 1) ascending++;
  return token.length > 1 ? ascending / (token.length - 1) : 0;
};

/** Whether a token is a credential-looking high-entropy string under the catalog's entropy rule. */
export function isHighEntropySecret(token: string, lineText: string, catalog: SecretCatalog = loadSecretCatalog()): boolean {
  const rule = catalog.entropy;
  if (token.length < rule.minLength || token.length > rule.maxLength) return false;
  if (meanWordLength(token) >= rule.maxMeanWordLength || sequentialRatio(token) >= rule.maxSequentialRatio) return false;
  // snake_case, kebab-case and CONSTANT_CASE names: every separated part has a single letter case.
  const parts = token.split(/[_-]/);
  if (parts.length >= 3 && parts.every((p) => !(/[a-z]/.test(p) && /[A-Z]/.test(p)))) return false;
  const digits = (token.match(/[0-9]/g) ?? []).length;
  const hasUpper = /[A-Z]/.test(token);
  const hasLower = /[a-z]/.test(token);
  const entropy = shannonEntropy(token);
  if (rule.keywordRegex.test(lineText) && digits > 0 && (hasUpper || hasLower) && entropy >= rule.keywordThreshold) return true;
  const threshold = Math.min(rule.maxThreshold, Math.log2(token.length) - rule.belowLog2Length);
  return hasUpper && hasLower && digits >= rule.minDigits && entropy >= threshold;
}

/** Every secret in a text with the offsets of its secret part; earlier catalog patterns win overlaps. */
export function scanSecrets(text: string, catalog: SecretCatalog = loadSecretCatalog()): SecretSpan[] {
  const starts = lineStarts(text);
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number): boolean => taken.some(([a, b]) => s < b && a < e);
  const found: SecretSpan[] = [];
  const accept = (name: string, start: number, end: number): void => {
    if (end <= start || overlaps(start, end)) return;
    taken.push([start, end]);
    found.push({ name, line: lineOfOffset(starts, start), start, end });
  };
  for (const { name, regex, secretGroup } of catalog.patterns) {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const span = m.indices?.[secretGroup];
      const value = m[secretGroup];
      if (!span || value === undefined) continue;
      if (isPlaceholder(value, catalog)) continue;
      accept(name, span[0], span[1]);
    }
  }
  const { tokenRegex } = catalog.entropy;
  tokenRegex.lastIndex = 0;
  for (let m = tokenRegex.exec(text); m !== null; m = tokenRegex.exec(text)) {
    const token = m[2] ?? m[3];
    const at = m.indices?.[m[2] === undefined ? 3 : 2];
    if (token === undefined || !at) continue;
    const line = lineOfOffset(starts, at[0]);
    const lineText = text.slice(starts[line - 1], starts[line] ?? text.length);
    if (!isPlaceholder(token, catalog) && isHighEntropySecret(token, lineText, catalog)) accept(HIGH_ENTROPY, at[0], at[1]);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The secrets in a text as rule name and line: never the secret value. */
export function findSecrets(text: string, catalog?: SecretCatalog): SecretFinding[] {
  return scanSecrets(text, catalog).map(({ name, line }) => ({ name, line }));
}

/** The text with each secret replaced by `[REDACTED:<rule>]` (for prompts and logs). */
export function redactSecrets(text: string, catalog?: SecretCatalog): string {
  const spans = scanSecrets(text, catalog);
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + `[REDACTED:${span.name}]`;
    at = span.end;
  }
  return out + text.slice(at);
}
