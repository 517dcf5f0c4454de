// declaredPackages and packageNameOf on real package.json files in a temp dir.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declaredPackages, packageNameOf } from "../../src/ts-project/packages.js";

describe("declaredPackages", () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "redgreen-packages-"));
    root = join(dir, "app");
    mkdirSync(join(root, "packages", "ui", "src"), { recursive: true });
    mkdirSync(join(root, "broken"), { recursive: true });
    // Above the project root: never read.
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "outer", dependencies: { lodash: "4" } }));
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({
        name: "app",
        dependencies: { zod: "3" },
        devDependencies: { vitest: "4" },
        peerDependencies: { react: "19" },
        optionalDependencies: { fsevents: "2" },
        scripts: { test: "x" },
      }),
    );
    writeFileSync(join(root, "packages", "ui", "package.json"), JSON.stringify({ name: "@app/ui", dependencies: { "@scope/icons": "1" } }));
    writeFileSync(join(root, "broken", "package.json"), "{ not json");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads every dependency kind and the name of the root manifest", () => {
    expect([...declaredPackages(root)].sort()).toEqual(["app", "fsevents", "react", "vitest", "zod"]);
  });

  it("adds the manifests between a file's folder and the root, and skips one that does not parse", () => {
    expect([...declaredPackages(root, join(root, "packages", "ui", "src"))].sort()).toEqual([
      "@app/ui",
      "@scope/icons",
      "app",
      "fsevents",
      "react",
      "vitest",
      "zod",
    ]);
    expect([...declaredPackages(root, join(root, "broken"))].sort()).toEqual(["app", "fsevents", "react", "vitest", "zod"]);
  });

  it("declares nothing without a package.json", () => {
    const bare = join(dir, "bare");
    mkdirSync(bare, { recursive: true });
    expect(declaredPackages(bare).size).toBe(0);
  });
});

describe("packageNameOf", () => {
  it("keeps a scope and drops subpaths", () => {
    expect(["zod", "zod/v4", "@scope/pkg", "@scope/pkg/sub/path"].map(packageNameOf)).toEqual(["zod", "zod", "@scope/pkg", "@scope/pkg"]);
  });
});
