// categorizeError: maps a Python exception (type + message) to one of the analyzer's error categories.
import type { ErrorCategory } from "../domain/analysis.js";
import { shortErrorType } from "./error-type.js";
import { oneOf } from "../one-of.js";

const SYNTAX_TYPES = new Set(["SyntaxError", "IndentationError", "TabError"]);

const DB_TYPES = new Set([
  "IntegrityError",
  "OperationalError",
  "ProgrammingError",
  "DatabaseError",
  "InterfaceError",
  "DataError",
  "NotSupportedError",
  "InternalError",
  "NoResultFound",
  "MultipleResultsFound",
  "DetachedInstanceError",
  "PendingRollbackError",
  "ObjectDeletedError",
  "StaleDataError",
  "FlushError",
  "UnmappedInstanceError",
  "StatementError",
  "InvalidRequestError",
  "ResourceClosedError",
  "NoSuchTableError",
  "NoSuchColumnError",
]);
const DB_MODULE_RE = /^(?:sqlite3|sqlalchemy|psycopg2?|pymysql|MySQLdb|asyncpg|aiosqlite|peewee|django\.db)\b/;
const DB_MESSAGE_RE = oneOf([
  /not bound to a Session/,
  /no such (?:table|column)/,
  /UNIQUE constraint failed/,
  /NOT NULL constraint failed/,
  /FOREIGN KEY constraint failed/,
  /database is locked/,
  /\((?:sqlite3|psycopg2?|pymysql|asyncpg)\./,
  /Cannot operate on a closed database/,
  /Incorrect number of bindings/,
  /uncommitted/,
  /This Session's transaction has been rolled back/,
  /No row was found when one was required/,
  /Multiple rows were found/,
]);

const ASYNC_MESSAGE_RE = oneOf([
  /coroutine .*was never awaited/,
  /'coroutine'/,
  /coroutine object/,
  /event loop/,
  /asyncio\.run\(\) cannot be called/,
  /async def functions are not natively supported/,
  /was never awaited/,
  /Task was destroyed but it is pending/,
  /cannot reuse already awaited coroutine/,
  /a coroutine was expected/,
  /object \w+ can't be used in 'await' expression/,
]);
const ASYNC_TYPES = new Set(["CancelledError", "InvalidStateError"]);

const TIMEOUT_TYPES = new Set([
  "TimeoutError",
  "TimeoutExpired",
  "timeout",
  "ReadTimeout",
  "ConnectTimeout",
  "Timeout",
  "TimeoutException",
  "PoolTimeout",
  "WriteTimeout",
]);
const TIMEOUT_MESSAGE_RE = /^Timeout\b|\btimed out\b|Timeout >\s*[\d.]+s/;

const API_TYPES = new Set([
  "HTTPError",
  "URLError",
  "ConnectionError",
  "ConnectionRefusedError",
  "ConnectionResetError",
  "ConnectionAbortedError",
  "RemoteDisconnected",
  "BrokenPipeError",
  "RequestException",
  "HTTPStatusError",
  "RequestError",
  "TransportError",
  "ClientError",
  "ClientResponseError",
  "ClientConnectorError",
  "ServerDisconnectedError",
  "InvalidURL",
  "TooManyRedirects",
  "SSLError",
  "ProxyError",
  "gaierror",
]);
const API_MODULE_RE = /^(?:requests|httpx|urllib3?|aiohttp|http\.client|urllib\.error)\b/;
const API_TYPE_NAME_RE = /Connection|HTTP|Unavailable|Unreachable|Http/;
const API_MESSAGE_RE = oneOf([
  /\bHTTP Error \d{3}\b/,
  /Connection refused/,
  /Name or service not known/,
  /\bstatus_code\b/,
  /<Response \[\d{3}\]>/,
  /\b\d{3} (?:Client|Server) Error\b/,
]);
/** `assert 500 == 200` where both sides are HTTP status codes. */
const STATUS_ASSERT_RE = /\bassert [1-5]\d\d [!=]= [1-5]\d\d\b/;

const IMPORT_TYPES = new Set(["ImportError", "ModuleNotFoundError"]);
const ASSERTION_TYPES = new Set(["AssertionError", "Failed", "AssertionFailedError"]);
const HINT_RE = /Did you mean:? '?[\w.]+'?\??/;

/** One category per failure, most specific first: syntax, async, database, timeout, api, import, attribute, type, assertion, logic. */
export function categorizeError(errorType: string, errorMessage: string): ErrorCategory {
  const type = errorType.trim();
  const short = shortErrorType(type);
  const message = errorMessage ?? "";

  if (SYNTAX_TYPES.has(short)) return "syntax";
  if (ASYNC_TYPES.has(short) || ASYNC_MESSAGE_RE.test(message)) return "async";
  if (DB_MODULE_RE.test(type) || DB_TYPES.has(short) || DB_MESSAGE_RE.test(message)) return "database";
  // An assertion merely mentioning "timed out" is not a timeout; pytest-timeout's "Failed: Timeout >1s" is.
  const timeoutByMessage = ASSERTION_TYPES.has(short) ? /^Timeout\b/.test(message) : TIMEOUT_MESSAGE_RE.test(message);
  if (TIMEOUT_TYPES.has(short) || timeoutByMessage) return "timeout";
  if (API_MODULE_RE.test(type) || API_TYPES.has(short) || API_TYPE_NAME_RE.test(short)) return "api";
  if (API_MESSAGE_RE.test(message) || STATUS_ASSERT_RE.test(message)) return "api";
  if (IMPORT_TYPES.has(short)) return "import";
  if (short === "NameError") return HINT_RE.test(message) && !/forget to import/.test(message) ? "attribute" : "import";
  if (short === "AttributeError") return "attribute";
  if (short === "TypeError") return "type_error";
  if (ASSERTION_TYPES.has(short)) return "assertion";
  return "logic";
}
