// `redgreen chat` in a pseudo-terminal (util-linux `script`): tab completion, up-arrow history across sessions, Ctrl-C, colour.
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { killPtys, startPty } from "./pty.js";
import type { Pty } from "./pty.js";

afterEach(killPtys);

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts `redgreen chat PROJECT` on a pseudo-terminal. */
const startChat = (project: string, env: Record<string, string | undefined> = {}): Pty =>
  startPty(["chat", project, "--python", testPython], env);

function copyFixture(name: string): string {
  const dest = join(mkdtempSync(join(tmpdir(), "redgreen-chat-tty-")), name);
  cpSync(fixturePath("chat", name), dest, { recursive: true });
  return dest;
}

describe("redgreen chat on a terminal", () => {
  it("completes commands with Tab and recalls input with the up arrow in a later session", async () => {
    const project = copyFixture("tiny");
    const one = startChat(project);
    let at = await one.waitFor(/redgreen> /);
    one.send("/run\r");
    at = await one.waitFor(/run #1: \S*1 passed\S*, \S*2 failed/, at); // coloured on a terminal
    at = await one.waitFor(/redgreen> /, at);
    // Keys one write at a time: readline treats a burst as a paste and inserts a Tab literally.
    one.send("/sh");
    await pause(200);
    one.send("\t"); // completes to "/show"
    await pause(200);
    one.send(" 2\r");
    at = await one.waitFor(/#2 tests\/test_shipping\.py::test_threshold_ships_free/, at);
    await one.waitFor(/redgreen> /, at);
    one.send("\x04"); // Ctrl-D
    await one.waitFor(/bye/, at);
    expect(await one.exited).toBe(0);
    expect(
      readFileSync(join(project, ".redgreen", "chat_history"), "utf8")
        .split("\n")
        .filter(Boolean),
    ).toEqual(["/run", "/show 2"]);

    const two = startChat(project);
    at = await two.waitFor(/redgreen> /);
    two.send("\x1b[A"); // up arrow: the last line of the previous session
    await pause(200);
    two.send("\r");
    at = await two.waitFor(/#2 tests\/test_shipping\.py::test_threshold_ships_free/, at);
    await two.waitFor(/redgreen> /, at);
    two.send("/quit\r");
    expect(await two.exited).toBe(0);
  });

  it("Ctrl-C cancels the running action, not the REPL", async () => {
    const project = copyFixture("slow");
    const pty = startChat(project);
    let at = await pty.waitFor(/redgreen> /);
    pty.send("/run\r");
    at = await pty.waitFor(/running the tests …/, at);
    await new Promise((r) => setTimeout(r, 1500)); // pytest is inside the 30 s test now
    const started = Date.now();
    pty.send("\x03");
    at = await pty.waitFor(/\^C cancelled/, at, 10_000);
    at = await pty.waitFor(/redgreen> /, at, 10_000);
    const cancelMs = Date.now() - started;
    expect(cancelMs).toBeLessThan(10_000);
    pty.send("\x03"); // at the prompt: a hint, the REPL stays
    at = await pty.waitFor(/type \/quit or press Ctrl-D to leave/, at);
    pty.send("/failures\r");
    at = await pty.waitFor(/No failing tests\.|no failing/i, at);
    pty.send("/quit\r");
    await pty.waitFor(/bye/, at);
    expect(await pty.exited).toBe(0);
    expect(pty.output()).not.toMatch(/^\s+at .+:\d+/m);
    console.log(`Ctrl-C → prompt back in ${cancelMs} ms`);
  });

  it("colours statuses on a terminal (byte-exact SGR codes), and not at all with NO_COLOR=1", async () => {
    const SGR = new RegExp(String.raw`\x1b\[[0-9;]*m`);
    const coloured = startChat(copyFixture("tiny"));
    let at = await coloured.waitFor(/redgreen> /);
    coloured.send("/run\r");
    at = await coloured.waitFor(/redgreen> /, await coloured.waitFor(/run #1: /, at));
    expect(coloured.output()).toContain("run #1: \x1b[32m1 passed\x1b[39m, \x1b[31m2 failed\x1b[39m, coverage");
    coloured.send("/show 9\r");
    at = await coloured.waitFor(/redgreen> /, await coloured.waitFor(/usage: \/show N/, at));
    expect(coloured.output()).toContain("\x1b[31merror:\x1b[39m usage: /show N, with N from 1 to 2");
    coloured.send("/quit\r");
    expect(await coloured.exited).toBe(0);

    const plain = startChat(copyFixture("tiny"), { NO_COLOR: "1" });
    at = await plain.waitFor(/redgreen> /);
    plain.send("/run\r");
    at = await plain.waitFor(/redgreen> /, await plain.waitFor(/run #1: /, at));
    plain.send("/show 9\r");
    await plain.waitFor(/redgreen> /, await plain.waitFor(/usage: \/show N/, at));
    plain.send("/quit\r");
    expect(await plain.exited).toBe(0);
    expect(plain.output()).toContain("run #1: 1 passed, 2 failed, coverage");
    expect(plain.output()).toContain("error: usage: /show N");
    expect(plain.output()).not.toMatch(SGR);
  });
});
