// Screenshots of the main states, for the README (docs/screenshots/) and for review.
// They are written to target/e2e/screenshots/; `cp target/e2e/screenshots/*.png docs/screenshots/`
// refreshes the README's pictures. Each shot also asserts the state it claims to show.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pageTest, ARTIFACTS } from './harness.mjs';

const DIR = path.join(ARTIFACTS, 'screenshots');
await fs.mkdir(DIR, { recursive: true });

pageTest('screenshot: light theme, desktop', async (page) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await page.getByLabel('Dockerfile source').waitFor();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'light');
  await page.screenshot({ path: path.join(DIR, 'light.png') });
});

pageTest('screenshot: dark theme, desktop', async (page) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await page.getByLabel('Dockerfile source').waitFor();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  await page.screenshot({ path: path.join(DIR, 'dark.png') });
});

pageTest('screenshot: phone-sized screen', async (page) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByLabel('Dockerfile source').waitFor();
  // Nothing may overflow sideways on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: path.join(DIR, 'phone.png') });
});
