// Shared harness for the end-to-end tests: serves dist/ on loopback, starts Debian's
// Chromium through playwright-core (never a downloaded browser), and on failure saves a
// screenshot and the page's console log under target/e2e/.

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { test, before, after } from 'node:test';
import { chromium } from 'playwright-core';

const DIST = process.env.LAYERLAB_DIST ?? path.resolve('dist');
export const ARTIFACTS = process.env.LAYERLAB_ARTIFACTS ?? path.resolve('target/e2e');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.gz': 'application/gzip',
};

/** Serves dist/ on an ephemeral loopback port; resolves to { url, close }. */
export async function serveDist() {
  const server = http.createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(DIST, urlPath.endsWith('/') ? urlPath + 'index.html' : urlPath);
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Debian's Chromium, headless, with a fresh profile and no background network. */
export async function launchBrowser() {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'layerlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await fs.rm(profile, { recursive: true, force: true });
    },
  };
}

/** Polls until the locator's text contains `text` (5 s), then returns the text. */
export async function waitForText(locator, text, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent({ timeout }).catch(() => '')) ?? '';
    if (last.includes(text)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${JSON.stringify(text)}; the text is:\n${last}`);
}

/**
 * Polls until the field's value is `value` (5 s) and returns it; on timeout, returns the last
 * value read for the caller's assertion to show. An editor takes its text just after it
 * appears (an effect sets it), so a read right after a load or a file switch can see it empty.
 */
export async function waitForValue(locator, value, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = await locator.inputValue({ timeout }).catch(() => '');
    if (last === value) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

/** Replaces the open editor's text (the file must be open) as one input event. */
export async function setFile(page, path, text) {
  const label = path === 'Dockerfile' ? 'Dockerfile source' : `${path} (build context file)`;
  const editor = page.getByLabel(label);
  await editor.waitFor();
  await editor.fill(text);
}

/** The gutter's build state for a 1-based line: cached, rebuilt, failed, config, base or null. */
export async function gutterState(page, line) {
  const classes = await page.locator(`.gutter-line[data-line="${line}"]`).getAttribute('class');
  return classes.match(/mark-(\w+)/)?.[1] ?? null;
}

let shared = null;

/**
 * Declares a browser test: `body(page, url)` runs on a fresh page of the served site. The
 * server and the browser start once per test file. When the body throws, a full-page
 * screenshot and the console log go to target/e2e/<test name>.{png,log} before the failure
 * is reported.
 */
export function pageTest(name, body) {
  test(name, async () => {
    const page = await shared.browser.context.newPage();
    const log = [];
    page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
    try {
      // Every test starts from a first visit: no autosave from an earlier test.
      await page.goto(shared.server.url);
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await body(page, shared.server.url, log);
    } catch (error) {
      await saveArtifacts(name, page, log);
      throw error;
    } finally {
      await page.close();
    }
  });
}

before(async () => {
  shared = { server: await serveDist(), browser: await launchBrowser() };
});

after(async () => {
  await shared?.browser.close();
  await shared?.server.close();
});

async function saveArtifacts(name, page, log) {
  const base = path.join(ARTIFACTS, name.replace(/[^a-z0-9-]+/gi, '_'));
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
  await fs.writeFile(`${base}.log`, log.join('\n') + '\n');
  console.error(`e2e artifacts: ${base}.png, ${base}.log`);
}
