// categorizeError: one category per (type, message), most specific first.
import { describe, expect, it } from "vitest";
import { categorizeError } from "../../src/analysis/categorize.js";

const cases: [string, string, string][] = [
  // [errorType, errorMessage, category]
  ["AssertionError", "assert -1 == 5\n +  where -1 = add(2, 3)", "assertion"],
  ["Failed", "DID NOT RAISE <class 'ValueError'>", "assertion"],
  ["ModuleNotFoundError", "No module named 'tomlkit_extras'", "import"],
  ["ImportError", "cannot import name 'compute_total' from 'app.core'", "import"],
  ["NameError", "name 'json' is not defined", "import"],
  ["NameError", "name 're' is not defined. Did you forget to import 're'?", "import"],
  ["NameError", "name 'wrods' is not defined. Did you mean: 'words'?", "attribute"],
  ["AttributeError", "'Product' object has no attribute 'stok'", "attribute"],
  ["AttributeError", "'NoneType' object has no attribute 'stock'", "attribute"],
  ["TypeError", 'can only concatenate str (not "int") to str', "type_error"],
  ["SyntaxError", "'(' was never closed", "syntax"],
  ["IndentationError", "unindent does not match any outer indentation level", "syntax"],
  ["TabError", "inconsistent use of tabs and spaces in indentation", "syntax"],
  ["ZeroDivisionError", "division by zero", "logic"],
  ["KeyError", "'qty'", "logic"],
  ["re.error", "missing ), unterminated subpattern at position 0", "logic"],
  // database: sqlite3 and SQLAlchemy, by type and by message
  ["sqlite3.OperationalError", "no such table: user", "database"],
  ["sqlite3.IntegrityError", "UNIQUE constraint failed: users.email", "database"],
  ["sqlite3.ProgrammingError", "Cannot operate on a closed database.", "database"],
  ["sqlalchemy.exc.IntegrityError", "(sqlite3.IntegrityError) UNIQUE constraint failed: authors.name", "database"],
  ["sqlalchemy.exc.NoResultFound", "No row was found when one was required", "database"],
  ["sqlalchemy.exc.MultipleResultsFound", "Multiple rows were found when exactly one was required", "database"],
  [
    "sqlalchemy.orm.exc.DetachedInstanceError",
    "Parent instance <Author at 0x7f> is not bound to a Session; lazy load operation of attribute 'books' cannot proceed",
    "database",
  ],
  ["DetachedInstanceError", "Instance <User at 0x1> is not bound to a Session; attribute refresh operation cannot proceed", "database"],
  ["PendingRollbackError", "This Session's transaction has been rolled back due to a previous exception during flush.", "database"],
  ["sqlalchemy.exc.OperationalError", '(sqlite3.OperationalError) near "SELEC": syntax error', "database"],
  // api: HTTP clients and servers, status-code assertions
  ["AssertionError", "assert 500 == 200\n +  where 500 = <Response [500]>.status_code", "api"],
  ["AssertionError", "assert 404 == 200", "api"],
  ["urllib.error.HTTPError", "HTTP Error 404: Not Found", "api"],
  ["urllib.error.URLError", "<urlopen error [Errno 111] Connection refused>", "api"],
  ["requests.exceptions.ConnectionError", "HTTPConnectionPool(host='localhost', port=9): Max retries exceeded", "api"],
  ["httpx.HTTPStatusError", "Server error '503 Service Unavailable' for url 'http://x/'", "api"],
  ["ConnectionRefusedError", "[Errno 111] Connection refused", "api"],
  ["webapp.client.ServiceUnavailable", "user service is not reachable", "api"],
  // async
  ["TypeError", "'coroutine' object is not subscriptable", "async"],
  ["AttributeError", "'coroutine' object has no attribute 'name'", "async"],
  ["TypeError", "'coroutine' object is not iterable", "async"],
  ["TypeError", "object of type 'coroutine' has no len()", "async"],
  ["RuntimeWarning", "coroutine 'fetch_user' was never awaited", "async"],
  ["RuntimeError", "asyncio.run() cannot be called from a running event loop", "async"],
  ["RuntimeError", "no running event loop", "async"],
  ["RuntimeError", "This event loop is already running", "async"],
  ["Failed", "async def functions are not natively supported.", "async"],
  ["asyncio.exceptions.CancelledError", "", "async"],
  // timeout
  ["TimeoutError", "", "timeout"],
  ["TimeoutError", "timed out", "timeout"],
  ["subprocess.TimeoutExpired", "Command '['sleep', '2']' timed out after 0.2 seconds", "timeout"],
  ["Failed", "Timeout >1.0s", "timeout"],
  ["requests.exceptions.ReadTimeout", "HTTPConnectionPool(host='x', port=80): Read timed out.", "timeout"],
  ["AssertionError", "assert 'timed out' == 'ok'", "assertion"],
];

describe("categorizeError", () => {
  it.each(cases)("%s: %s → %s", (type, message, category) => {
    expect(categorizeError(type, message)).toBe(category);
  });

  it("covers every category", () => {
    expect(new Set(cases.map((c) => c[2])).size).toBe(10);
  });
});
