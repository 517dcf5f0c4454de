// Secret forms: how a known secret value shows up in captured output — escaped (repr, JSON, URL) or truncated around "...".

/** Shortest piece of a secret that counts as the secret when it borders an ellipsis; shorter ones are too common. */
export const MIN_SECRET_FRAGMENT = 8;

/** Where pytest's saferepr, difflib and pytest's explanation truncation cut text. */
const ELLIPSES = ["...", "…"] as const;

const doubleBackslashes = (s: string): string => s.replace(/\\/g, "\\\\");

/**
 * The value as it is, and as it reads after escaping: Python repr (backslashes doubled, once and twice, with either
 * quote escaped), JSON (also JSON inside JSON), and URL encoding (component, path-style and form-style).
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value]);
  for (const escaped of [doubleBackslashes(value), doubleBackslashes(doubleBackslashes(value))]) {
    forms.add(escaped);
    forms.add(escaped.replace(/'/g, "\\'"));
    forms.add(escaped.replace(/"/g, '\\"'));
  }
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  forms.add(JSON.stringify(json).slice(1, -1));
  const url = encodeURIComponent(value);
  forms.add(url);
  forms.add(url.replace(/%2F/g, "/"));
  forms.add(url.replace(/%20/g, "+"));
  return [...forms];
}

/** A stretch of text holding a truncated form: its start before an ellipsis, or its end after one. */
export interface FragmentSpan {
  start: number;
  end: number;
  /** Index into the forms the span was found for. */
  form: number;
}

/** The longest k in [min, form.length) with text[at-k, at) === form[0, k), or 0. */
function headBefore(text: string, at: number, form: string, min: number): number {
  if (at < min || !form.includes(text.slice(at - min, at))) return 0;
  for (let k = Math.min(at, form.length - 1); k >= min; k--) if (text.startsWith(form.slice(0, k), at - k)) return k;
  return 0;
}

/** The longest k in [min, form.length) with text[from, from+k) === the last k characters of form, or 0. */
function tailAfter(text: string, from: number, form: string, min: number): number {
  if (text.length - from < min || !form.includes(text.slice(from, from + min))) return 0;
  for (let k = Math.min(text.length - from, form.length - 1); k >= min; k--)
    if (text.startsWith(form.slice(form.length - k), from)) return k;
  return 0;
}

/** Truncated forms in a text: at least `min` characters of a form's start right before an ellipsis, or of its end right after. */
export function fragmentSpans(text: string, forms: readonly string[], min = MIN_SECRET_FRAGMENT): FragmentSpan[] {
  const spans: FragmentSpan[] = [];
  for (const ellipsis of ELLIPSES) {
    for (let at = text.indexOf(ellipsis); at >= 0; at = text.indexOf(ellipsis, at + 1)) {
      const after = at + ellipsis.length;
      forms.forEach((form, i) => {
        if (form.length <= min) return;
        const head = headBefore(text, at, form, min);
        if (head > 0) spans.push({ start: at - head, end: at, form: i });
        const tail = tailAfter(text, after, form, min);
        if (tail > 0) spans.push({ start: after, end: after + tail, form: i });
      });
    }
  }
  return spans;
}
