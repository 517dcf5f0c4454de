// whereClause: an AND of `column = ?` for each filter that is set, for the repositories' list queries.
export interface WhereClause {
  /** "" when no filter is set, else "WHERE a = ? AND b = ?". */
  sql: string;
  params: (string | number)[];
}

/** Builds the clause from column → value pairs, skipping undefined values. */
export function whereClause(filters: Record<string, string | number | undefined>): WhereClause {
  const set = Object.entries(filters).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return {
    sql: set.length === 0 ? "" : `WHERE ${set.map(([column]) => `${column} = ?`).join(" AND ")}`,
    params: set.map(([, value]) => value),
  };
}
