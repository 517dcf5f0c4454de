// The pytest adapter against the shared adapter conformance suite.
import { runProcess } from "../../../src/process/run.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { testPython } from "../../helpers/python-env.js";
import { runAdapterConformance } from "../conformance.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();

runAdapterConformance("pytest", {
  makeAdapter: (fixture, options) =>
    createPytestAdapter({ projectRoot: copies.copy(fixture), python: testPython, hangGraceSeconds: 1, ...options }),
  async terminalOutput() {
    const dir = copies.copy("failing");
    const r = await runProcess(testPython, ["-m", "pytest", "--rootdir", dir, "-p", "no:cacheprovider"], { cwd: dir, timeoutMs: 60_000 });
    return r.stdout;
  },
  cleanup: () => copies.cleanup(),
  passing: {
    passedNodeIds: ["tests/test_calc.py::test_add", "tests/test_calc.py::test_mul", "tests/test_calc.py::TestMixed::test_add_then_mul"],
  },
  failing: {
    failedNodeIds: [
      "tests/test_shop.py::test_total_is_right",
      "tests/test_shop.py::test_attribute_typo",
      "tests/test_shop.py::test_import_typo",
      "tests/test_shop.py::test_type_error",
      "tests/test_shop.py::test_key_error",
      "tests/test_shop.py::test_value_error",
      "tests/test_shop.py::test_name_error",
      "tests/test_shop.py::test_chained",
      "tests/test_shop.py::test_setup_error",
      "tests/test_shop.py::test_teardown_error",
    ],
    oneFailing: { file: "tests/test_shop.py", name: "test_key_error" },
    onePassing: { file: "tests/test_shop.py", name: "test_passes" },
  },
  hanging: {
    files: ["test_hang.py"],
    hangingNodeId: "test_hang.py::test_loops_forever",
    passingNodeId: "test_hang.py::test_runs_after_the_hang",
  },
  testFiles: ["tests/test_shop.py", "test_x.py", "pkg/x_test.py", "conftest.py", "tests/helpers.py"],
  nonTestFiles: ["shop.py", "pkg/mathy.py", "README.md", "tests/data.json"],
});
