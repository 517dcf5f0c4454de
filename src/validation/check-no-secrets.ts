// checkNoSecrets: a fix must not introduce credentials; reports rule and line, never the value.
import type { CheckResult, FixContext } from "./context.js";
import { secretEnvValues } from "./env-secrets.js";
import { diffOf } from "./facts.js";
import { scanSecrets } from "./secrets.js";

const occurrences = (text: string, value: string): number => text.split(value).length - 1;

/**
 * Rejects secrets present in the fixed text but not in the original (a secret that only moved is not new):
 * catalog matches, and values of secret-named environment variables (reported by variable name).
 */
export function checkNoSecrets(ctx: FixContext): Promise<CheckResult> {
  return ctx.memo("check:secrets", async () => {
    const result: CheckResult = { reasons: [], warnings: [] };
    const before = new Map<string, number>();
    for (const s of scanSecrets(ctx.original, ctx.secretCatalog)) {
      const key = `${s.name}\0${ctx.original.slice(s.start, s.end)}`;
      before.set(key, (before.get(key) ?? 0) + 1);
    }
    for (const s of scanSecrets(ctx.fixed, ctx.secretCatalog)) {
      const key = `${s.name}\0${ctx.fixed.slice(s.start, s.end)}`;
      const left = before.get(key) ?? 0;
      if (left > 0) {
        before.set(key, left - 1);
        continue;
      }
      result.reasons.push(`secrets: adds a ${s.name.replace(/_/g, " ")} (${s.name}) at line ${s.line} of ${ctx.relPath}`);
    }
    const added = (await diffOf(ctx)).added;
    const fixedLines = ctx.fixed.split("\n");
    for (const { name, value } of secretEnvValues(ctx.env)) {
      if (occurrences(ctx.fixed, value) <= occurrences(ctx.original, value)) continue;
      const lines = added.filter((n) => fixedLines[n - 1]?.includes(value));
      const where = lines.length > 0 ? ` at line ${lines.join(", ")}` : "";
      result.reasons.push(`secrets: writes the value of environment variable ${name}${where} of ${ctx.relPath}`);
    }
    return result;
  });
}
