// Caps on the free text redgreen stores (explanations, diffs, stack traces, output, prompts and answers): head and tail around a marker.

/** Characters one stored text keeps at most. */
export const MAX_STORED_CHARS = 64 * 1024;

/** `text` when it fits in `max` characters, else its head and tail around a marker saying how much was cut. */
export function capText(text: string, max: number = MAX_STORED_CHARS): string {
  if (text.length <= max) return text;
  const marker = `\n… [${text.length - max} characters cut by redgreen's storage limit] …\n`;
  const keep = Math.max(0, max - marker.length);
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}${marker}${text.slice(text.length - (keep - head))}`;
}

/** capText for a nullable column. */
export const capNullable = (text: string | null | undefined): string | null => (text === null || text === undefined ? null : capText(text));

/** A copy of a JSON-ready value with every string in it capped (for JSON columns); other values pass unchanged. */
export function capStrings<T>(value: T): T {
  if (typeof value === "string") return capText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => capStrings(v)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capStrings(v)])) as T;
  }
  return value;
}
