// Headless Chromium (Debian's `chromium` package) driven by playwright-core: no browser download, no
// network, an empty profile per run. Every page records its console errors and failed requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests: a good page has none. */
  problems: string[];
}

export class HeadlessChromium {
  private constructor(private readonly profile: string, readonly context: BrowserContext) {}

  /** A laptop-sized window; `headers` go with every request (the peer token, when reads need it). */
  static async launch(headers: Record<string, string> = {}): Promise<HeadlessChromium> {
    const profile = mkdtempSync(join(tmpdir(), 'wdg-chromium-')); // empty: --user-data-dir
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1366, height: 900 }, extraHTTPHeaders: headers });
    return new HeadlessChromium(profile, context);
  }

  async open(url: string): Promise<WatchedPage> {
    const page = await this.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems };
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
