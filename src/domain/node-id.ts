// splitNodeId: a node id ("file::name", the format every TestRunResult and Failure uses) split into its file and test name.

/** Splits a node id at its first "::" into the test file and the test name inside it ("" for a bare file path, e.g. a module's collection error). */
export function splitNodeId(nodeId: string): { testFile: string; testName: string } {
  const at = nodeId.indexOf("::");
  return at < 0 ? { testFile: nodeId, testName: "" } : { testFile: nodeId.slice(0, at), testName: nodeId.slice(at + 2) };
}
