// Types for ensure-venv.mjs.
export declare function ensureVenv(opts: { venvDir: string; requirementsFile: string; log?: (m: string) => void }): string;
