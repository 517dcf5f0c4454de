// analysisAt: the Analysis object the Python and the JS/TS analyzers both build from what they found.
import type { Analysis, ErrorCategory, FixStrategy } from "../domain/analysis.js";
import { rootCauseKey } from "./group.js";
import type { CodeLocation } from "./locate.js";

/** What an analyzer found about one failure, apart from where it points. */
export interface AnalysisFindings {
  errorType: string;
  category: ErrorCategory;
  rootCause: string;
  fixStrategy: FixStrategy;
  confidence: number;
  /** A cause shared beyond one location (one bad value's origin); null or absent: the location's root-cause key. */
  upstreamKey?: string | null;
  expected?: string | undefined;
  actual?: string | undefined;
  hint?: string | null | undefined;
}

/** The Analysis of a failure placed at `location` (or nowhere); its suggestedFix is "" until the analyzer writes one. */
export function analysisAt(location: CodeLocation | null, found: AnalysisFindings): Analysis {
  const analysis: Analysis = {
    errorType: found.errorType,
    errorCategory: found.category,
    rootCause: found.rootCause,
    suggestedFix: "",
    fileToFix: location?.file ?? null,
    lineNumber: location?.line ?? null,
    functionName: location?.function ?? null,
    fixStrategy: found.fixStrategy,
    confidence: found.confidence,
    groupKey: found.upstreamKey ?? rootCauseKey(location?.file ?? null, location?.line ?? null, found.errorType),
  };
  if (found.expected !== undefined) analysis.expected = found.expected;
  if (found.actual !== undefined) analysis.actual = found.actual;
  if (found.hint) analysis.hint = found.hint;
  return analysis;
}
