// Types for candidates-js.mjs.
import type { Mutation } from "../lib/corpus.mjs";

export function misspell(name: string): string | null;
export function jsCandidates(rel: string, text: string): Omit<Mutation, "id">[];
