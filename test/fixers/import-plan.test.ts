// import_plan placement rules on small files (real Python helper, no pytest): where the import goes and how it is spelled.
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits, applyFix } from "../../src/fixers/apply.js";
import { catalogCandidates } from "../../src/fixers/patterns/missing-import.js";
import { importPlan } from "../../src/fixers/patterns/python-ops.js";
import { loadImportAliases } from "../../src/python/import-aliases.js";
import { PythonHelper } from "../../src/python/client.js";
import { loadStdlibNames } from "../../src/python/stdlib-names.js";
import { testPython } from "../helpers/python-env.js";
import { interpreters } from "../python/interpreters.js";

const catalogs = { stdlibModules: loadStdlibNames().modules, aliases: loadImportAliases().aliases };

// The ops run on the project's interpreter: check the oldest supported Python too when it is installed.
describe.each(interpreters.filter(([label]) => label !== "python3"))("import_plan on %s", (_label, python) => {
  let root: string;
  let helper: PythonHelper;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "redgreen-import-plan-"));
    helper = await PythonHelper.start({ python, projectRoot: root });
  });
  afterAll(async () => {
    await helper?.close();
    await rm(root, { recursive: true, force: true });
  });

  let n = 0;
  /** Writes `source` as a fresh module, plans the import of `name`, and returns the file after the edit. */
  const fixed = async (source: string, name: string, extra: Record<string, string> = {}, line?: number): Promise<string | null> => {
    const file = `m${n++}.py`;
    for (const [rel, text] of Object.entries({ ...extra, [file]: source })) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), text);
    }
    const plan = await importPlan(helper, { file, name, catalog: catalogCandidates(name, catalogs), ...(line ? { line } : {}) });
    return plan.edit ? applyFix(source, { file, ...plan.edit }) : null;
  };

  it("goes after the module docstring with PEP 8 blank lines when the file has no imports", async () => {
    expect(await fixed('"""Doc."""\n\n\ndef f():\n    return json.dumps(1)\n', "json")).toBe(
      '"""Doc."""\n\nimport json\n\n\ndef f():\n    return json.dumps(1)\n',
    );
  });

  it("goes above the comment that belongs to the first statement when there is no docstring", async () => {
    expect(await fixed("# the answer\ndef f():\n    return math.pi\n", "math")).toBe(
      "import math\n\n\n# the answer\ndef f():\n    return math.pi\n",
    );
  });

  it("keeps __future__ imports first and sorts into the stdlib group", async () => {
    const src = "from __future__ import annotations\n\nimport os\n\nX = os.sep + re.escape('.') + str(Path('.'))\n";
    expect(await fixed(src, "re")).toBe(
      "from __future__ import annotations\n\nimport os\nimport re\n\nX = os.sep + re.escape('.') + str(Path('.'))\n",
    );
    expect(await fixed(src, "Path")).toBe(
      "from __future__ import annotations\n\nimport os\nfrom pathlib import Path\n\nX = os.sep + re.escape('.') + str(Path('.'))\n",
    );
  });

  it("merges into an existing one-line from-import of the same module, keeping the names sorted", async () => {
    expect(await fixed("from typing import List, Tuple\n\nX: List[Optional[int]] = []\n", "Optional")).toBe(
      "from typing import List, Optional, Tuple\n\nX: List[Optional[int]] = []\n",
    );
  });

  it("adds a separate line after a parenthesised multi-line import of the same module", async () => {
    const src = "from typing import (\n    List,\n    Tuple,\n)\n\nX: Optional[List[Tuple[int]]] = None\n";
    expect(await fixed(src, "Optional")).toBe(
      "from typing import (\n    List,\n    Tuple,\n)\nfrom typing import Optional\n\nX: Optional[List[Tuple[int]]] = None\n",
    );
  });

  it.runIf(python === testPython)(
    "starts a third-party group between stdlib and project imports (sqlalchemy is in test/.venv)",
    async () => {
      const src = "import os\n\nfrom app.db import engine\n\nrows = sa.select(1), os.sep, engine\n";
      expect(await fixed(src, "sa", { "app/__init__.py": "", "app/db.py": "engine = None\n" })).toBe(
        "import os\n\nimport sqlalchemy as sa\n\nfrom app.db import engine\n\nrows = sa.select(1), os.sep, engine\n",
      );
    },
  );

  it("uses how the name is used to choose between homes: datetime the class vs datetime the module", async () => {
    expect(await fixed("def now():\n    return datetime.now()\n", "datetime")).toBe(
      "from datetime import datetime\n\n\ndef now():\n    return datetime.now()\n",
    );
    expect(await fixed("def now():\n    return datetime.datetime.now()\n", "datetime")).toBe(
      "import datetime\n\n\ndef now():\n    return datetime.datetime.now()\n",
    );
  });

  it("prefers asyncio.sleep when the call is awaited and time.sleep when it is not", async () => {
    expect(await fixed("async def f():\n    await sleep(0)\n", "sleep")).toMatch(/^from asyncio import sleep\n/);
    expect(await fixed("def f():\n    sleep(0)\n", "sleep")).toMatch(/^from time import sleep\n/);
  });

  it("asks for postponed annotations when an annotation needs the class being defined", async () => {
    const src = '"""Money."""\nimport re\n\n\nclass Money:\n    def parse(cls) -> Money:\n        return cls()\n';
    expect(await fixed(src, "Money", {}, 6)).toBe(
      '"""Money."""\nfrom __future__ import annotations\n\nimport re\n\n\nclass Money:\n    def parse(cls) -> Money:\n        ' +
        "return cls()\n",
    );
  });

  it("declines a name nothing defines, and one the file already imports", async () => {
    expect(await fixed("x = frobnicate_the_widgets(1)\n", "frobnicate_the_widgets")).toBeNull();
    expect(await fixed("import json\n\nx = json\n", "json")).toBeNull();
  });

  it("declines Queue when neither its instances' calls nor the file's context say asyncio or threads", async () => {
    expect(await fixed("def make():\n    q = Queue()\n    q.put_nowait(1)\n    return q.qsize()\n", "Queue")).toBeNull();
  });

  it("puts a deleted import's other unbound names into the existing import of the module that provides them all", async () => {
    const money =
      "from decimal import Decimal\n\n\nclass Money:\n    pass\n\n\ndef cents(m):\n    return Decimal(1)\n\n\ndef parse(t):\n    " +
      "return Money()\n";
    const extra = { "mp/__init__.py": "", "mp/money.py": money };
    for (const [rel, text] of Object.entries(extra)) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), text);
    }
    const source = "from mp.money import Money\n\n\ndef f(t):\n    return cents(parse(t)), Money, RATE, Decimal\n";
    await writeFile(join(root, "merge.py"), source);
    const first = await importPlan(helper, { file: "merge.py", name: "parse", catalog: catalogCandidates("parse", catalogs) });
    expect([...first.others!].sort()).toEqual(["Decimal", "RATE", "cents"]);
    const also = Object.fromEntries(first.others!.map((n) => [n, catalogCandidates(n, catalogs)]));
    const plan = await importPlan(helper, { file: "merge.py", name: "parse", catalog: catalogCandidates("parse", catalogs), also });
    // RATE is defined nowhere, and mp.money only imports Decimal for itself: both stay for their own NameErrors.
    expect(plan.chosen?.also).toEqual(["cents"]);
    expect(applyFix(source, { file: "merge.py", ...plan.edit! })).toBe(source.replace("import Money", "import Money, cents, parse"));
  });

  it("imports what binds the usage: the project module slug for slug.make(), not a function named slug", async () => {
    const extra = {
      "kt/__init__.py": "",
      "kt/slug.py": "def make(t):\n    return t.lower()\n",
      "kt/text.py": "def slug(t):\n    return t\n",
    };
    expect(await fixed("def f(t):\n    return slug.make(t)\n", "slug", extra)).toMatch(/^from kt import slug\n/);
    // A decorated function may carry attributes (lru_cache's cache_clear): still a fit.
    const cached = { "kc/__init__.py": "", "kc/tables.py": "import functools\n\n\n@functools.lru_cache\ndef rates():\n    return {}\n" };
    expect(await fixed("def reset():\n    rates.cache_clear()\n", "rates", cached)).toMatch(/^from kc\.tables import rates\n/);
  });

  it("reads the declared dependencies from setup.cfg, requirements files with -r includes and pyproject.toml", async () => {
    const files = {
      "setup.cfg": "[options]\ninstall_requires =\n    SQLAlchemy>=2\n[options.extras_require]\ntest = pytest-asyncio\n",
      "requirements-dev.txt": "-r requirements/base.txt\nblack==24.1  # formatter\n",
      "requirements/base.txt": "Requests[socks]>=2 ; python_version > '3.8'\n",
      "pyproject.toml":
        '[project]\nname = "x"\ndependencies = [\n  "attrs",  # classes\n]\n[tool.poetry.group.dev.dependencies]\nmypy = ' +
        '"^1"\npython = "^3.9"\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), text);
    }
    const declared = await helper.call<{ declares: boolean; requirements: string[]; modules: string[] }>("declared_dependencies", {});
    await Promise.all(Object.keys(files).map((rel) => rm(join(root, rel))));
    expect(declared.declares).toBe(true);
    expect(declared.requirements).toEqual(["attrs", "black", "mypy", "pytest-asyncio", "requests", "sqlalchemy"]);
    expect(declared.modules).toEqual(expect.arrayContaining(["pytest", "sqlalchemy", "pytest_asyncio", "requests"]));
    expect(declared.modules).not.toContain("typing_extensions");
  });

  it("keeps CRLF line endings through applyEdits", async () => {
    await writeFile(join(root, "crlf.py"), "import os\r\n\r\nX = os.sep + re.escape('.')\r\n");
    const plan = await importPlan(helper, { file: "crlf.py", name: "re", catalog: catalogCandidates("re", catalogs) });
    await applyEdits(root, [{ file: "crlf.py", ...plan.edit! }]);
    expect(await readFile(join(root, "crlf.py"), "utf8")).toBe("import os\r\nimport re\r\n\r\nX = os.sep + re.escape('.')\r\n");
  });
});
