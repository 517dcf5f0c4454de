// The StackTraceAnalyzer's public API.
export { analyzeFailure, type AnalyzeContext } from "./analyze.js";
export { runAnalyzer, type FailureAnalyzer } from "./run-analyzer.js";
export {
  createFaultLocaliser,
  faultLocaliserFor,
  stackMissesProject,
  SUSPICIOUS_LINES,
  type FaultLocaliser,
  type SpectrumInput,
} from "./fault-localisation.js";
export { categorizeError } from "./categorize.js";
export { extractLocationFromTrace, locateInFrames, type CodeLocation, type LocateContext } from "./locate.js";
export { identifyFixStrategy, type StrategyFacts } from "./strategy.js";
export { generateFixSuggestion, type SuggestionContext } from "./suggestion.js";
export { groupFailures, rootCauseKey, type FailureGroup } from "./group.js";
export { extractAssertionDetails, calledFunction, type AssertionDetails } from "./assertion.js";
export { classifyFrameFile, frameKind, isTestPath, projectRelativePath, type FrameKind } from "./frames.js";
export { closestName, editDistance, extractHint, hintName } from "./hints.js";
export { createFsSourceReader, type SourceReader } from "./source.js";
export { importStatementFor, loadImportCatalogs, type ImportCatalogs } from "./imports.js";
export { shortErrorType } from "./error-type.js";
export { analyzeScriptFailure, categorizeScriptError } from "./analyze-script.js";
export { isJsTestPath, languageOfPath, type SourceLanguage } from "./language.js";
