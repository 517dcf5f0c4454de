// checkNoSecrets: a fix must not introduce credentials; reports rule and line, never the value.
import type { CheckResult, FixContext } from "./context.js";
import { scanSecrets } from "./secrets.js";

/** Rejects secrets present in the fixed text but not in the original (a secret that only moved is not new). */
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
    return result;
  });
}
