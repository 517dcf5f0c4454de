// Secret forms: the escaped spellings of a value, and its pieces cut off by "..." or "…".
import { describe, expect, it } from "vitest";
import { fragmentSpans, MIN_SECRET_FRAGMENT, secretForms } from "../../src/validation/secret-forms.js";

const KEY = "sk-proj-EnVkQ7rT2mX9pL4sW8vB1ST4UV7WX0YZ3";
const PASSWORD = `Pa\\ss'w0rd "Qx7"/z`;

describe("secretForms", () => {
  it("spells the value as Python's repr, JSON and URL encoding would", () => {
    const forms = secretForms(PASSWORD);
    expect(forms[0]).toBe(PASSWORD);
    expect(forms).toContain(`Pa\\\\ss'w0rd "Qx7"/z`);
    expect(forms).toContain(`Pa\\\\ss\\'w0rd "Qx7"/z`);
    expect(forms).toContain(`Pa\\\\\\\\ss'w0rd "Qx7"/z`);
    expect(forms).toContain(JSON.stringify(PASSWORD).slice(1, -1));
    expect(forms).toContain(JSON.stringify(JSON.stringify(PASSWORD).slice(1, -1)).slice(1, -1));
    expect(forms).toContain(encodeURIComponent(PASSWORD));
    expect(forms).toContain("Pa%5Css'w0rd%20%22Qx7%22/z");
    expect(forms).toContain("Pa%5Css'w0rd+%22Qx7%22%2Fz");
    expect(new Set(forms).size).toBe(forms.length);
  });

  it("is just the value when nothing needs escaping", () => {
    expect(secretForms(KEY)).toEqual([KEY]);
  });
});

describe("fragmentSpans", () => {
  const pieces = (text: string, forms = [KEY]): string[] => fragmentSpans(text, forms).map((s) => text.slice(s.start, s.end));

  it("finds the start before an ellipsis and the end after it, as pytest truncates a repr", () => {
    expect(pieces("assert 'sk-proj-EnVk...1ST4UV7WX0YZ3' == 'Bearer sk-pr...1ST4UV7WX0YZ3'")).toEqual([
      "sk-proj-EnVk",
      "1ST4UV7WX0YZ3",
      "1ST4UV7WX0YZ3",
    ]);
    expect(pieces("key: sk-proj-EnVkQ7rT…")).toEqual(["sk-proj-EnVkQ7rT"]);
    expect(pieces("FAILED test_a.py::test_b - AssertionError: assert 'sk-proj-...")).toEqual(["sk-proj-"]);
  });

  it(`ignores pieces shorter than ${MIN_SECRET_FRAGMENT} characters, pieces away from an ellipsis, and unrelated dots`, () => {
    expect(pieces("'sk-proj...' and 'sk-pr...'")).toEqual([]);
    expect(pieces("sk-proj-EnVk is not cut here; ....F..... [100%]")).toEqual([]);
    expect(pieces(`${KEY}...`)).toEqual([]);
  });

  it("names the form each piece belongs to", () => {
    const escaped = "Pa\\\\ssw0rd-Qx7!zK";
    expect(fragmentSpans("{'password': ...sw0rd-Qx7!zK'}", ["Pa\\ssw0rd-Qx7!zK", escaped])).toEqual([
      { start: 16, end: 28, form: 0 },
      { start: 16, end: 28, form: 1 },
    ]);
  });
});
