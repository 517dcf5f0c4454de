// Types for scale-suite.mjs.
export type ScaleLang = "python" | "vitest";
export interface ScaleSuite {
  tests: number;
  files: number;
  bugFile: string;
  missingName: string;
  failing: string;
}
export function generateScaleSuite(
  dir: string,
  options: { lang: ScaleLang; tests: number; seed?: number; perFile?: { min: number; max: number } },
): ScaleSuite;
export function bareCommand(lang: ScaleLang, project: string, python: string): { file: string; args: string[] };
export function bareSawOneFailure(lang: ScaleLang, tests: number, r: { exitCode: number; stdout: string }): boolean;
