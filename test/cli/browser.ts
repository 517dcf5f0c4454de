// Headless Chromium for UI tests: Debian's /usr/bin/chromium driven by playwright-core, with the network cut off.
import { existsSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { testDir } from "../helpers/python-env.js";

/** Where UI tests keep screenshots (git-ignored). */
export const artifactsDir = join(testDir, "artifacts");

/** The system Chromium (override with CHROMIUM_PATH). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launches headless Chromium (with extra command-line switches, e.g. --host-resolver-rules); fails with the install command when it is
 * missing.
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(artifactsDir, { recursive: true });
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", ...extraArgs] });
}

/** A page whose requests to anything but the loopback address and local files are aborted and recorded. */
export async function offlinePage(
  browser: Browser,
  viewport = { width: 1400, height: 1000 },
): Promise<{ page: Page; external: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const external: string[] = [];
  const errors: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file:|data:|blob:|about:|http:\/\/127\.0\.0\.1[:/])/.test(url)) return route.continue();
    external.push(url);
    return route.abort();
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, external, errors };
}
