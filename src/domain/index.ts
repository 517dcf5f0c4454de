// The domain: zod schemas and inferred types shared by every layer.
export * from "./test-run.js";
export * from "./failure.js";
export * from "./analysis.js";
export * from "./fix.js";
export * from "./validation.js";
export * from "./workflow.js";
export * from "./agent-log.js";
export * from "./errors.js";
export * from "./run-summary.js";
export * from "./node-id.js";
export * from "./proof.js";
export * from "./runner-choice.js";
export * from "./cli-json.js";
export * from "./json-schemas.js";
