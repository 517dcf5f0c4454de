// The test runners redgreen drives, as a plain list: what argument checks read without loading the schemas.
export const RUNNER_NAMES = ["pytest", "vitest", "jest"] as const;
