// The node standby (src/runners/js/standby.mjs) on a runner written here: a run through it looks to the runner exactly like
// a fresh `node BIN ARGS`, and it steps aside (the run then starts afresh) whenever something it loaded could load
// differently: a changed file, a package that would now shadow one, another environment, a project module, a moved bin.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runProcess } from "../../../src/process/run.js";
import { nodeStandbyLauncher } from "../../../src/runners/js/standby.js";
import { Standbys, type StandbyRunOptions } from "../../../src/runners/standby.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** What the runner's command line module prints: the state a run could tell a fresh process from a standby by. */
const CLI = `import { fstatSync } from "node:fs";
import { state } from "./node.js";
const fd0 = fstatSync(0);
const seen = {
  argv: process.argv.slice(1),
  execArgv: process.execArgv,
  cwd: process.cwd(),
  probe: process.env.PROBE ?? null,
  progress: process.env.REDGREEN_PROGRESS ?? null,
  loads: globalThis.__loads,
  state,
  cjs: typeof require,
  stdinTTY: process.stdin.isTTY ?? false,
  stdinKind: fd0.isCharacterDevice() ? "character device" : fd0.isFIFO() ? "fifo" : fd0.isSocket() ? "socket" : "other",
  stdin: await new Promise((done) => {
    let text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => done(text));
  }),
};
process.stdout.write(JSON.stringify(seen) + "\\n");
process.exitCode = 3;
`;

/**
 * The module loaded ahead: counts its loads, reads the environment while it loads, imports a package. (What it would
 * read of process.argv while loading is [node, BIN] in a standby: the one known difference, see standby.mjs.)
 */
const NODE = `import dep from "dep";
import util from "@acme/util";
globalThis.__loads = (globalThis.__loads ?? 0) + 1;
export const state = { dep, util, probeAtLoad: process.env.PROBE ?? null };
`;

/** A project with node_modules/fake-runner (its bin, `./node` export and a dependency) and node_modules/.bin/fake. */
function project(): { root: string; bin: string; write: (rel: string, text: string) => void } {
  const root = join(realpathSync(mkdtempSync(join(tmpdir(), "redgreen-node-standby-"))), "app");
  cleanups.push(() => rmSync(dirname(root), { recursive: true, force: true }));
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
    if (rel.endsWith(".mjs")) chmodSync(join(root, rel), 0o755);
  };
  write("package.json", '{ "name": "app", "private": true }\n');
  const runner = { name: "fake-runner", type: "module", exports: { "./node": { types: "./lib/node.d.ts", default: "./lib/node.js" } } };
  write("node_modules/fake-runner/package.json", JSON.stringify(runner));
  write("node_modules/fake-runner/bin.mjs", '#!/usr/bin/env node\nimport "./lib/cli.js";\n');
  write("node_modules/fake-runner/lib/cli.js", CLI);
  write("node_modules/fake-runner/lib/node.js", NODE);
  write("node_modules/dep/package.json", '{ "name": "dep", "type": "module", "main": "index.js" }\n');
  write("node_modules/dep/index.js", 'export default "dep v1";\n');
  write("node_modules/dep/v3.js", 'export default "dep v3";\n');
  write("node_modules/@acme/util/package.json", '{ "name": "@acme/util", "type": "module", "main": "index.js" }\n');
  write("node_modules/@acme/util/index.js", 'export default "util v1";\n');
  // The runner has its own copy of another package of the scope: a nearer @acme folder that exists already.
  write("node_modules/fake-runner/node_modules/@acme/other/package.json", '{ "name": "@acme/other" }\n');
  mkdirSync(join(root, "node_modules", ".bin"));
  const bin = join(root, "node_modules", ".bin", "fake");
  symlinkSync("../fake-runner/bin.mjs", bin);
  return { root, bin, write };
}

type Seen = {
  argv: string[];
  probe: string | null;
  progress: string | null;
  loads: number;
  state: { dep: string; util: string };
  stdin: string;
  stdinKind: string;
};

/** Two runs of `bin` through Standbys (the second may take the standby the first left), each run's output parsed. */
async function twoRuns(
  p: { root: string; bin: string },
  between: () => void = () => undefined,
  env: (run: number) => Record<string, string | undefined> = () => ({}),
): Promise<{ standbys: Standbys; seen: Seen[]; exitCodes: (number | null)[] }> {
  const launcher = nodeStandbyLauncher("fake", p.bin, "./node");
  expect(launcher).not.toBeNull();
  const standbys = new Standbys(launcher, p.root, false);
  cleanups.push(() => standbys.close());
  const seen: Seen[] = [];
  const exitCodes: (number | null)[] = [];
  for (const run of [1, 2]) {
    if (run === 2) {
      await new Promise((r) => setTimeout(r, 1500));
      between();
    }
    const options: StandbyRunOptions = {
      cwd: p.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env(run), REDGREEN_PROGRESS: `/tmp/progress-${run}` },
      timeoutMs: 30_000,
      capture: "file",
    };
    // A standby refuses files written within a second of its start (they may have changed while it loaded them).
    if (run === 1) await new Promise((r) => setTimeout(r, 1100));
    const r = await standbys.run(p.bin, ["run", `--n=${run}`], options, () => true);
    expect(r.stderr).toBe("");
    exitCodes.push(r.exitCode);
    seen.push(JSON.parse(r.stdout) as Seen);
  }
  return { standbys, seen, exitCodes };
}

/** Two runs where the second finds the standby refusing for `reason` (the whole line) and runs afresh; what each run saw. */
async function refusedOnce(
  p: { root: string; bin: string },
  reason: string | RegExp,
  between?: () => void,
  env?: (run: number) => Record<string, string | undefined>,
): Promise<Seen[]> {
  const { standbys, seen } = await twoRuns(p, between, env);
  expect(standbys.counts).toEqual({ standby: 0, refused: 1, fresh: 2 });
  if (typeof reason === "string") expect(standbys.lastRefusal).toBe(reason);
  else expect(standbys.lastRefusal).toMatch(reason);
  return seen;
}

describe("the node standby", () => {
  it("runs the next run as a fresh `node BIN ARGS` would: argv, environment, stdin, exit code, the modules loaded once", async () => {
    const p = project();
    const { standbys, seen, exitCodes } = await twoRuns(p);
    expect(standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
    expect(exitCodes).toEqual([3, 3]);
    const fresh = await runProcess(p.bin, ["run", "--n=2"], {
      cwd: p.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, REDGREEN_PROGRESS: "/tmp/progress-2" },
      timeoutMs: 30_000,
    });
    expect(seen[1]).toEqual(JSON.parse(fresh.stdout));
    // A fresh run's stdin is /dev/null: the order's channel is not left as the run's fd 0.
    expect(seen[1]).toMatchObject({ argv: [p.bin, "run", "--n=2"], progress: "/tmp/progress-2", loads: 1, stdin: "" });
    expect(seen[1]!.stdinKind).toBe("character device");
    expect(seen[1]!.state).toEqual({ dep: "dep v1", util: "util v1", probeAtLoad: null });
  });

  it("steps aside when the environment differs, and the run sees the new one", async () => {
    const seen = await refusedOnce(project(), "the environment differs in PROBE", undefined, (run) => ({ PROBE: `run ${run}` }));
    expect(seen[1]!.probe).toBe("run 2");
  });

  it("steps aside when a file it loaded changed, and the run loads it as it is now", async () => {
    const p = project();
    const seen = await refusedOnce(p, /dep[/\\]index\.js changed (since it was loaded|while it loaded)$/, () =>
      p.write("node_modules/dep/index.js", 'export default "dep v2";\n'),
    );
    expect(seen[1]!.state.dep).toBe("dep v2");
  });

  it("steps aside when a file it loaded is rewritten in place with its size and mtime kept (npm's fixed mtime)", async () => {
    const p = project();
    // npm installs every file with the same fixed mtime; a rewrite that keeps the size can put it back exactly.
    const npmTime = new Date("1985-10-26T08:15:00Z");
    const dep = join(p.root, "node_modules", "dep", "index.js");
    utimesSync(dep, npmTime, npmTime);
    const rewrite = (): void => {
      writeFileSync(dep, 'export default "dep v9";\n');
      utimesSync(dep, npmTime, npmTime);
    };
    const seen = await refusedOnce(p, /dep[/\\]index\.js changed since it was loaded$/, rewrite);
    expect(seen[1]!.state.dep).toBe("dep v9");
  });

  it("steps aside when a package appears that a fresh run would load instead (nearer node_modules)", async () => {
    const p = project();
    const shadow = (): void => {
      p.write("node_modules/fake-runner/node_modules/dep/package.json", '{ "name": "dep", "type": "module", "main": "index.js" }\n');
      p.write("node_modules/fake-runner/node_modules/dep/index.js", 'export default "nearer dep";\n');
    };
    const seen = await refusedOnce(p, /fake-runner[/\\]node_modules changed since it was loaded$/, shadow);
    expect(seen[1]!.state.dep).toBe("nearer dep");
  });

  it("steps aside when a scoped package appears in a nearer scope folder that existed already", async () => {
    const p = project();
    const shadow = (): void => {
      p.write(
        "node_modules/fake-runner/node_modules/@acme/util/package.json",
        '{ "name": "@acme/util", "type": "module", "main": "index.js" }\n',
      );
      p.write("node_modules/fake-runner/node_modules/@acme/util/index.js", 'export default "nearer util";\n');
    };
    const seen = await refusedOnce(p, /fake-runner[/\\]node_modules[/\\]@acme changed since it was loaded$/, shadow);
    expect(seen[1]!.state.util).toBe("nearer util");
  });

  it("steps aside when its package.json changed (where its exports point)", async () => {
    const p = project();
    const repoint = (): void => p.write("node_modules/dep/package.json", '{ "name": "dep", "type": "module", "main": "v3.js" }\n');
    const seen = await refusedOnce(p, /dep[/\\]package\.json changed since it was loaded$/, repoint);
    expect(seen[1]!.state.dep).toBe("dep v3");
  });

  it("steps aside when the bin now leads to another file", async () => {
    const p = project();
    const moved = (): void => {
      p.write("node_modules/fake-runner/bin2.mjs", '#!/usr/bin/env node\nimport "./lib/cli.js";\nconsole.error = () => {};\n');
      rmSync(p.bin);
      symlinkSync("../fake-runner/bin2.mjs", p.bin);
    };
    const seen = await refusedOnce(p, `${p.bin} leads to another file`, moved);
    expect(seen[1]).toMatchObject({ argv: [p.bin, "run", "--n=2"], loads: 1 });
  });

  it("steps aside when the module it loads ahead comes from the project (not from node_modules)", async () => {
    const p = project();
    p.write("settings.mjs", 'export const colour = "blue";\n');
    p.write("node_modules/fake-runner/lib/node.js", `import "../../../settings.mjs";\n${NODE}`);
    const seen = await refusedOnce(p, `it loaded ${join(p.root, "settings.mjs")} from the project`);
    expect(seen.map((s) => s.loads)).toEqual([1, 1]);
  });

  it("takes a refusal only from itself: a run that prints the refusal line and exits 86 is the run's result", async () => {
    const p = project();
    const runs = join(dirname(p.root), "runs");
    // The runner's own code (loaded at the run, as a project's would be) forges the standby's refusal once it has run.
    p.write(
      "node_modules/fake-runner/lib/cli.js",
      `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(runs)}, "ran\\n");\n` +
        'process.stderr.write("redgreen-standby: refused: forged\\n");\nprocess.exitCode = 86;\n',
    );
    const launcher = nodeStandbyLauncher("fake", p.bin, "./node");
    const standbys = new Standbys(launcher, p.root, false);
    cleanups.push(() => standbys.close());
    const options: StandbyRunOptions = { cwd: p.root, env: { PATH: process.env.PATH }, timeoutMs: 30_000, capture: "file" };
    await new Promise((r) => setTimeout(r, 1100));
    await standbys.run(p.bin, ["run"], options, () => true);
    await new Promise((r) => setTimeout(r, 1500));
    const second = await standbys.run(p.bin, ["run"], options, () => false);
    expect(standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
    expect(second.exitCode).toBe(86);
    expect(readFileSync(runs, "utf8")).toBe("ran\nran\n");
  });

  it("is not started where NODE_OPTIONS is set (what it preloads would load before the order)", async () => {
    const { standbys } = await twoRuns(project(), undefined, () => ({ NODE_OPTIONS: "--no-warnings" }));
    expect(standbys.counts).toEqual({ standby: 0, refused: 0, fresh: 2 });
  });

  it("stands in only for an ES module bin that node runs by its shebang", () => {
    const p = project();
    expect(nodeStandbyLauncher("fake", p.bin, "./node")).not.toBeNull();
    p.write("node_modules/fake-runner/cjs.js", '#!/usr/bin/env node\nrequire("./lib/cli.js");\n');
    p.write("node_modules/fake-runner/sh.mjs", '#!/bin/sh\nexec node "$@"\n');
    for (const target of ["cjs.js", "sh.mjs"]) {
      rmSync(p.bin);
      symlinkSync(`../fake-runner/${target}`, p.bin);
      expect(nodeStandbyLauncher("fake", p.bin, "./node")).toBeNull();
    }
  });
});
