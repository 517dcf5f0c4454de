// Migration: one numbered, forward-only schema change applied inside a transaction.
export interface Migration {
  /** Equal to the NNN prefix of the file name; versions are consecutive from 1. */
  readonly version: number;
  readonly name: string;
  /** SQL run as one script; it must not contain its own BEGIN/COMMIT. */
  readonly sql: string;
}
