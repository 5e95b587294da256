/** Where the browser tests find Debian's Chromium and Firefox ESR (`apt-get install chromium firefox-esr`). */
import { existsSync } from 'node:fs';

export const BROWSERS = {
  chromium: '/usr/bin/chromium',
  firefox: '/usr/bin/firefox-esr',
} as const;
export type BrowserName = keyof typeof BROWSERS;

/** The browsers that are not installed (the test command counts them as failures). */
export function missingBrowsers(): BrowserName[] {
  return (Object.keys(BROWSERS) as BrowserName[]).filter((name) => !existsSync(BROWSERS[name]));
}
