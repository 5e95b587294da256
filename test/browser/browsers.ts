/**
 * The browsers of the browser tests: Debian's Chromium and Firefox ESR, driven
 * by puppeteer-core (CDP for Chromium, WebDriver BiDi for a stock Firefox), both
 * with WebAssembly and the JIT turned off, as in Safari's Lockdown Mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ConsoleMessage, type Page } from 'puppeteer-core';
import { BROWSERS, type BrowserName } from './installed.js';

export type { BrowserName };

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launch(name: BrowserName): Promise<LaunchedBrowser> {
  if (name === 'chromium') {
    const profile = mkdtempSync(join(tmpdir(), 'purewasm-chromium-'));
    const browser = await puppeteer.launch({
      browser: 'chrome',
      executablePath: BROWSERS.chromium,
      headless: true,
      args: [
        // The sandbox needs a non-root user; the tests run as root in CI.
        '--no-sandbox',
        '--disable-gpu',
        // Without these Chromium keeps trying to reach Google's hosts, which a closed network refuses.
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        // No JIT: V8's bytecode interpreter only, and no WebAssembly at all.
        '--js-flags=--jitless',
      ],
    });
    return {
      browser,
      close: async () => {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: BROWSERS.firefox,
    headless: true,
    extraPrefsFirefox: {
      // No WebAssembly, and SpiderMonkey's baseline interpreter, baseline JIT and Ion all off.
      'javascript.options.wasm': false,
      'javascript.options.blinterp': false,
      'javascript.options.baselinejit': false,
      'javascript.options.ion': false,
    },
  });
  return { browser, close: () => browser.close() };
}

/** A page whose console messages and CSP violations are recorded. */
export interface WatchedPage {
  page: Page;
  console: { type: string; text: string }[];
  /** Console errors and page errors, as text. */
  errors(): string[];
}

export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage();
  const messages: { type: string; text: string }[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    // "Failed to load resource" says which resource only in its location.
    const url = message.location().url;
    messages.push({ type: message.type(), text: url === undefined ? message.text() : `${message.text()} (${url})` });
  });
  page.on('pageerror', (error: unknown) => pageErrors.push(error instanceof Error ? error.message : String(error)));
  return {
    page,
    console: messages,
    errors: () => [...messages.filter((message) => message.type === 'error').map((message) => message.text), ...pageErrors],
  };
}
