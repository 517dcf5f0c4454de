// The LangGraph checkpointer: SqliteSaver on the store's own database file (thread_id = workflow id), redacted like the store.
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { SecretRedactor } from "../src/fixers/llm/redact.js";
import type { Store } from "../src/store/index.js";

type Serializer = SqliteSaver["serde"];

/** The saver's serializer with every string of a JSON checkpoint, its metadata and pending writes redacted before writing. */
function redactingSerializer(serde: Serializer, redactor: Pick<SecretRedactor, "redactValue">): Serializer {
  return {
    async dumpsTyped(data: unknown): Promise<[string, Uint8Array]> {
      const [type, bytes] = await serde.dumpsTyped(data);
      if (type !== "json") return [type, bytes];
      const clean = redactor.redactValue(JSON.parse(new TextDecoder().decode(bytes)) as unknown);
      return [type, new TextEncoder().encode(JSON.stringify(clean))];
    },
    loadsTyped: (type, data) => serde.loadsTyped(type, data),
  };
}

/**
 * A SqliteSaver sharing the store's connection (checkpoints and workflow rows live in one file) and its redactor; typed as
 * the base saver so the published types never name better-sqlite3 (whose types are not a dependency).
 */
export function createCheckpointer(store: Store): BaseCheckpointSaver {
  const saver = new SqliteSaver(store.db);
  saver.serde = redactingSerializer(saver.serde, store.redactor);
  return saver;
}

/** Distinct thread ids with at least one checkpoint (newest checkpoint first). */
export async function listCheckpointThreads(saver: BaseCheckpointSaver): Promise<string[]> {
  const seen = new Set<string>();
  for await (const tuple of saver.list({ configurable: {} })) {
    const id = tuple.config.configurable?.thread_id;
    if (typeof id === "string") seen.add(id);
  }
  return [...seen];
}
