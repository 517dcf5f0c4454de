// Child process for the MCP test: `redgreen mcp` until the CLI has it — real deps, the sequential workflow, stdio.
// Usage: node --import ./ts-register.mjs mcp-server-entry.ts PROJECT_ROOT [ALLOWED_ROOT...]
import { startMcpServer } from "../../tools/mcp-server.js";
import { openProjectStore, testProjects } from "./helpers.js";
import { createSequentialWorkflow } from "./sequential-workflow.js";

const [projectRoot, ...allowedRoots] = process.argv.slice(2);
if (projectRoot === undefined) {
  process.stderr.write("usage: mcp-server-entry.ts PROJECT_ROOT [ALLOWED_ROOT...]\n");
  process.exit(2);
}
const store = openProjectStore(projectRoot);
const projects = testProjects();
const server = await startMcpServer(
  {
    projectRoot,
    ...(allowedRoots.length > 0 ? { allowedRoots: [projectRoot, ...allowedRoots] } : {}),
    store,
    projects,
    runWorkflow: createSequentialWorkflow({ store, projects }),
    env: {},
  },
  { stdin: process.stdin, stdout: process.stdout },
);
await server.closed;
await projects.close();
store.close();
process.stderr.write("redgreen mcp: closed\n");
