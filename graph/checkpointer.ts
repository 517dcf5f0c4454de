// The LangGraph checkpointer: SqliteSaver on the store's own database file (thread_id = workflow id).
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { Store } from "../src/store/index.js";

/** A SqliteSaver sharing the store's connection, so checkpoints and workflow rows live in one file. */
export const createCheckpointer = (store: Store): SqliteSaver => new SqliteSaver(store.db);

/** Distinct thread ids with at least one checkpoint (newest checkpoint first). */
export async function listCheckpointThreads(saver: SqliteSaver): Promise<string[]> {
  const seen = new Set<string>();
  for await (const tuple of saver.list({ configurable: {} })) {
    const id = tuple.config.configurable?.thread_id;
    if (typeof id === "string") seen.add(id);
  }
  return [...seen];
}
