// groupFailures: one broken helper behind several failing tests forms one group, fixed once.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFailure } from "../../src/analysis/analyze.js";
import { groupFailures, rootCauseKey } from "../../src/analysis/group.js";
import { failuresFromTerminal, projectsDir, readCaptured } from "./corpus.js";

describe("groupFailures", () => {
  it("groups the asyncapp failures that share the unawaited call in get_profile", () => {
    const projectRoot = join(projectsDir, "asyncapp");
    const items = failuresFromTerminal(readCaptured("8", "asyncapp", "long.txt")!).map(({ nodeId, failure }) => ({
      nodeId,
      ...analyzeFailure(failure, { projectRoot }),
    }));
    const groups = groupFailures(items);
    expect(groups[0]!.groupKey).toBe("asyncapp/users.py:13:TypeError");
    expect(groups[0]!.members.map((m) => m.nodeId).sort()).toEqual([
      "tests/test_users.py::test_gather_profiles",
      "tests/test_users.py::test_get_profile",
    ]);
    expect(groups).toHaveLength(items.length - 1);
    expect(groups.slice(1).every((g) => g.members.length === 1)).toBe(true);
  });

  it("keys on file, line and the short error type, and picks the most confident member", () => {
    expect(rootCauseKey("app/db.py", 8, "sqlalchemy.exc.IntegrityError")).toBe("app/db.py:8:IntegrityError");
    expect(rootCauseKey(null, null, "KeyError")).toBe("?:?:KeyError");
    const groups = groupFailures([
      { groupKey: "a", confidence: 0.3, id: 1 },
      { groupKey: "b", confidence: 0.9, id: 2 },
      { groupKey: "a", confidence: 0.7, id: 3 },
    ]);
    expect(groups.map((g) => [g.groupKey, g.members.map((m) => m.id), g.representative.id])).toEqual([
      ["a", [1, 3], 3],
      ["b", [2], 2],
    ]);
    expect(groupFailures([])).toEqual([]);
  });
});
