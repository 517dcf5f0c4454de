// Types for watch-process.mjs.
export interface WatchedRun {
  exitCode: number;
  seconds: number;
  cpuSeconds: number;
  stdout: string;
  stderr: string;
  peakRssMb: number;
  children: { pid: number; argv: string[]; seconds: number }[];
}
export function watchCommand(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; intervalMs?: number },
): Promise<WatchedRun>;
export function timelineRuns(stderr: string): { kind: "full" | "selected"; coverage: boolean; seconds: number }[];
