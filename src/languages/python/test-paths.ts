// pytest's test-file conventions: the files a fix to a Python project may not quietly change.

/** pytest's default conventions: test_*.py, *_test.py, conftest.py, and any file under a test/ or tests/ folder. */
export function isPytestTestPath(relPath: string): boolean {
  const parts = relPath.split("/");
  const base = parts[parts.length - 1] ?? "";
  if (base === "conftest.py") return true;
  if (/^test_.*\.py$/.test(base) || /_test\.py$/.test(base)) return true;
  return parts.slice(0, -1).some((dir) => dir === "tests" || dir === "test");
}
