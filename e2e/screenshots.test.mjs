// Screenshots of the main states, for the README (docs/screenshots/) and for review.
// They are written to target/e2e/screenshots/; `cp target/e2e/screenshots/*.png docs/screenshots/`
// refreshes the README's pictures. Each shot also asserts the state it claims to show.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pageTest, ARTIFACTS, setFile, waitForText } from './harness.mjs';

const DIR = path.join(ARTIFACTS, 'screenshots');
await fs.mkdir(DIR, { recursive: true });

pageTest('screenshot: light theme, desktop', async (page) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await page.getByLabel('Dockerfile source').waitFor();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'light');
  // The course's example built: Ubuntu's apt output, then its failure at line 4.
  await waitForText(page.getByRole('status'), 'Build failed: line 4', 20000);
  await page.screenshot({ path: path.join(DIR, 'light.png') });
});

pageTest('screenshot: dark theme, desktop', async (page) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await page.getByLabel('Dockerfile source').waitFor();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  // The course's example built: Ubuntu's apt output, then its failure at line 4.
  await waitForText(page.getByRole('status'), 'Build failed: line 4', 20000);
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

// The panels, on one Dockerfile that shows the course's lessons: apt lists removed too late
// (wasted bytes, a check with its cost), and an edit of app.py rebuilding COPY onwards.
const LESSON = 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY app.py .\nCMD ["python3", "app.py"]\n';

async function lesson(page) {
  await setFile(page, 'Dockerfile', LESSON);
  await waitForText(page.getByRole('status'), 'Built myapp', 20000);
}

async function shot(page, tab, name) {
  await page.getByRole('tab', { name: tab }).click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(DIR, `${name}.png`) });
}

pageTest('screenshot: Layers, Files and Checks panels', async (page) => {
  await lesson(page);
  await page.getByRole('tab', { name: 'Layers' }).click();
  await waitForText(page.getByRole('tabpanel'), 'wasted');
  await shot(page, 'Layers', 'layers');
  await page.getByRole('tab', { name: 'Files' }).click();
  await waitForText(page.getByRole('tabpanel'), 'var/lib/apt/lists');
  await shot(page, 'Files', 'files');
  await page.getByRole('tab', { name: 'Checks' }).click();
  await waitForText(page.getByRole('tabpanel'), 'Simulated cost: /var/lib/apt/lists/ in the layer of line 2: 19.9MB');
  await shot(page, 'Checks', 'checks');
});

pageTest('screenshot: Cache panel after editing app.py, and the terminal', async (page) => {
  await lesson(page);
  await page.getByRole('button', { name: 'app.py', exact: true }).click();
  await setFile(page, 'app.py', 'print("edited")\n');
  await page.getByRole('button', { name: 'Dockerfile', exact: true }).click();
  await page.getByRole('tab', { name: 'Cache' }).click();
  await waitForText(page.getByRole('tabpanel'), 'app.py');
  await shot(page, 'Cache', 'cache');
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const input = page.getByLabel('Terminal command');
  await input.fill('docker history myapp');
  await input.press('Enter');
  await waitForText(page.getByLabel('Terminal output'), 'COPY app.py . # buildkit');
  await shot(page, 'Terminal', 'terminal');
});
