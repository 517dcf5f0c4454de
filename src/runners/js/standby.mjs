// A standby JS runner process: node and the runner's modules load before the run is known, the run's order arrives on fd 4.
//
// Started as `node standby.mjs BIN [MODULE]` in the project root with a run's environment (BIN: the runner's bin, an
// ES module run by `#!/usr/bin/env node`; MODULE: a module of the runner's package that a fresh run loads too, vitest's
// `vitest/node`), it imports MODULE, then waits for one JSON line {"args": [...], "env": {...}}: the arguments after
// BIN and the run's whole environment. It then becomes `node BIN ARGS`: process.argv is [node, BIN, ...ARGS] (the same
// array, changed in place: a module may hold it) and BIN's module is imported as node would run it. The run saves
// node's start and the runner's imports, about 0.2 s a run.
//
// The order arrives on fd ORDER_FD, closed once read; stdin is /dev/null from the start, as a fresh run's is (the
// config, global setup and tests of pool "threads" run in this process and see its fd 0; Node has no dup2 to put
// /dev/null there after reading the order from it).
//
// It is equivalent to a fresh process only while nothing it loaded could load differently now, so it refuses the order
// (exit REFUSED_EXIT, one line on stderr: REFUSED_MARKER, the order's nonce, why; nothing run) and redgreen starts the runner afresh
// when:
//   - a file it loaded changed (size, mtime, ctime or inode) or was written after it started, or one lies in the project
//     outside node_modules; a package appeared or went where node looks for a loaded file's imports (a node_modules
//     folder above it), or a loaded file's package.json changed; BIN now leads to another file; loading MODULE failed;
//   - the order's environment differs from the one it started with in anything but RUN_VARIABLES (redgreen's per-run
//     settings, read only by redgreen's reporter, which the runner loads after the order; they are set from the order)
//     or OWN_VARIABLES (what its shell set for it): whatever loading MODULE did to process.env stays, as in a fresh run;
//   - NODE_OPTIONS is set (what it preloads would have loaded before the order).
// Code that reads process.argv while MODULE loads sees [node, BIN] (vitest's colour choice does; redgreen's runs set
// NO_COLOR, which decides it first). End of ORDER_FD without an order: it exits 0 (redgreen did not need it).
import { realpathSync, statSync } from "node:fs";
import { Socket } from "node:net";
import { createRequire } from "node:module";
import * as nodeModule from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel } from "node:worker_threads";

const REFUSED_EXIT = 86;
const REFUSED_MARKER = "redgreen-standby: refused:";
/** The fd the order is read from (src/runners/js/standby.ts's orderFd): a pipe only redgreen writes to. */
const ORDER_FD = 4;
/** Read only after the order (by redgreen's progress reporter): they may differ from run to run. */
const RUN_VARIABLES = new Set(["REDGREEN_PROGRESS"]);
/** Set for this process by redgreen's supervisor (its tag) and its shell: a fresh run through it gets the same values. */
const OWN_VARIABLES = new Set(["REDGREEN_PROCESS_TAG", "PWD", "OLDPWD", "SHLVL", "_"]);
/** A file system's clock may lag the process's by a tick: a file written this long before the start counts as written after. */
const MTIME_SLACK_MS = 1000;

const started = Date.now();
const startEnv = { ...process.env };
const [bin, module] = process.argv.slice(2);
const root = realpathSync(process.cwd()) + sep;
const entry = realpathSync(bin);
// As node sets it for `node BIN`: BIN's absolute path as given, not its real path.
process.argv.splice(1, process.argv.length - 1, bin);

/** The files `module` loaded: what the resolve hook saw (ES modules) and require's cache (CommonJS ones). */
async function load(module) {
  if (typeof nodeModule.register !== "function") return { files: [], failed: null };
  const { port1, port2 } = new MessageChannel();
  nodeModule.register(new URL("./standby-hooks.mjs", import.meta.url), { data: { port: port2 }, transferList: [port2] });
  let failed = null;
  try {
    await import(pathToFileURL(module).href);
  } catch (e) {
    failed = `loading ${module} failed: ${e?.name ?? "error"}`;
  }
  const urls = await new Promise((done) => {
    port1.once("message", done);
    port1.postMessage("list");
  });
  port1.close();
  const cjs = Object.keys(createRequire(import.meta.url).cache);
  return { files: [...new Set([...urls.map((u) => fileURLToPath(u)), ...cjs])], failed };
}

const stamp = (path) => {
  try {
    const st = statSync(path, { bigint: true });
    // ctime too: a rewrite in place that keeps the size and puts the mtime back (npm's fixed one) cannot put it back.
    return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`;
  } catch {
    return null;
  }
};

/** The scopes of the scoped packages among `files` ("@vitest" of .../node_modules/@vitest/utils/...). */
const scopesOf = (files) =>
  new Set(files.flatMap((f) => f.split(sep).filter((part, i, parts) => part.startsWith("@") && parts[i - 1] === "node_modules")));

/**
 * Where node looks for the packages `file` imports, and the package.json it reads: the node_modules folder (and each
 * scope's folder in it) of every folder above the file, a package appearing in one or going changes its time (one that
 * does not exist yet is stamped as missing), and the package.json nearest to the file.
 */
function around(file, scopes) {
  const out = [];
  let pkg = null;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const modules = join(dir, "node_modules");
    out.push(modules, ...[...scopes].map((scope) => join(modules, scope)));
    if (pkg === null && stamp(join(dir, "package.json")) !== null) pkg = join(dir, "package.json");
    if (dirname(dir) === dir) break;
  }
  return pkg === null ? out : [...out, pkg];
}

/** What the standby loaded, stamped once it loaded it. */
class Snapshot {
  constructor(files, failed) {
    this.failed = failed;
    this.files = new Map([entry, ...files].map((f) => [f, stamp(f)]));
    // Folders and package.json files are stamped now, after loading: one written while it loaded is not seen.
    const scopes = scopesOf(files);
    this.around = new Map([...new Set([entry, ...files].flatMap((f) => around(f, scopes)))].map((p) => [p, stamp(p)]));
    this.fromProject = [entry, ...files].find((f) => f.startsWith(root) && !f.slice(root.length).split(sep).includes("node_modules"));
    const recent = BigInt(started - MTIME_SLACK_MS) * 1_000_000n;
    this.written = [...this.files.keys()].find((f) => {
      const st = statSync(f, { bigint: true, throwIfNoEntry: false });
      return st !== undefined && (st.mtimeNs >= recent || st.ctimeNs >= recent);
    });
  }

  /** Why this process cannot run `order` as a fresh `node BIN ARGS` would, or null. */
  refusal(order) {
    const { env, args } = order ?? {};
    if (env === null || typeof env !== "object" || !Array.isArray(args) || !args.every((a) => typeof a === "string")) {
      return "the order is not {args: [strings], env: {...}}";
    }
    if (this.failed !== null) return this.failed;
    const keys = new Set([...Object.keys(env), ...Object.keys(startEnv)]);
    const changed = [...keys].filter((k) => !RUN_VARIABLES.has(k) && !OWN_VARIABLES.has(k) && env[k] !== startEnv[k]).sort();
    if (changed.length > 0) return `the environment differs in ${changed.slice(0, 5).join(", ")}`;
    if (startEnv.NODE_OPTIONS) return "NODE_OPTIONS is set";
    if (this.fromProject !== undefined) return `it loaded ${this.fromProject} from the project`;
    if (realpathSync(bin) !== entry) return `${bin} leads to another file`;
    for (const [path, was] of [...this.files, ...this.around]) if (stamp(path) !== was) return `${path} changed since it was loaded`;
    if (this.written !== undefined) return `${this.written} changed while it loaded`;
    return null;
  }
}

/**
 * The first line on ORDER_FD, or "" at its end (or when it is not open). Read through a socket, whose closing closes
 * the fd: the run neither sees nor inherits it.
 */
async function readOrder() {
  let socket;
  try {
    socket = new Socket({ fd: ORDER_FD, readable: true, writable: false });
  } catch {
    return "";
  }
  let text = "";
  await new Promise((done) => {
    const stop = () => {
      socket.off("data", onData);
      done();
    };
    const onData = (chunk) => {
      text += chunk.toString("utf8");
      if (text.includes("\n")) stop();
    };
    socket.on("data", onData).once("end", stop).once("error", stop);
  });
  await new Promise((done) => socket.once("close", done).destroy());
  return text.split("\n")[0];
}

let loaded = { files: [], failed: null };
/** The order's nonce, echoed in a refusal: only this process read it (the run's code cannot forge a refusal). */
let nonce = "";
if (module) loaded = await load(module);
const snapshot = new Snapshot(loaded.files, loaded.failed);
let line = await readOrder();
if (line.trim() !== "") {
  let order = null;
  try {
    order = JSON.parse(line);
  } catch {
    order = null;
  }
  if (typeof order?.nonce === "string") nonce = order.nonce;
  const why = order === null ? "the order is not JSON" : snapshot.refusal(order);
  if (why !== null) {
    process.stderr.write(`${REFUSED_MARKER} ${nonce} ${why}\n`);
    process.exit(REFUSED_EXIT);
  }
  // The run's code shares this process: nothing it could reach holds the nonce any more.
  delete order.nonce;
  nonce = line = "";
  for (const name of RUN_VARIABLES) {
    if (name in order.env) process.env[name] = order.env[name];
    else delete process.env[name];
  }
  process.argv.push(...order.args);
  // What node runs for `node BIN`: BIN's real file as an ES module (its shebang names node, its name ends in .mjs).
  await import(pathToFileURL(entry).href);
}
