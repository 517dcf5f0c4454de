// Child process for the journal-owner test: applies one journaled fix, reports it, and holds it pending until stdin ends.
import { applyJournaled } from "../../dist/src/fixers/journal.js";
import { createEditJournal } from "../../dist/src/store/edit-journal.js";
import { openStore } from "../../dist/src/store/index.js";

const [dbPath, root, workflowId] = process.argv.slice(2);
const store = openStore(dbPath);
const journal = createEditJournal(store.db, () => new Date().toISOString());
await applyJournaled(journal, workflowId, "sig-live", root, [{ file: "app.py", find: "x = 1", replace: "x = 2" }]);
process.stdout.write("pending\n");
process.stdin.resume();
process.stdin.on("end", () => {
  store.close();
  process.exit(0);
});
