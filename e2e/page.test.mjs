// The first page: the editor holds the course's Flask example, the frame is complete, and the
// core (compiled to wasm) answers edits.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { pageTest, waitForText, waitForValue, setFile } from './harness.mjs';

const FLASK = await fs.readFile(new URL('../static/examples/flask/Dockerfile', import.meta.url), 'utf8');

pageTest('editor loads the course Flask example', async (page) => {
  const source = page.getByLabel('Dockerfile source');
  assert.equal(await waitForValue(source, FLASK), FLASK);
  // The highlighted overlay renders the same lines, instruction keywords marked.
  const keywords = await page.locator('.highlight .tok-keyword').allTextContents();
  assert.deepEqual(keywords, ['FROM', 'RUN', 'RUN', 'RUN', 'RUN', 'COPY', 'ENTRYPOINT']);
  const gutter = await page.locator('.gutter .gutter-line').count();
  assert.equal(gutter, FLASK.split('\n').length);
});

pageTest('the frame has a header, the editor and every panel tab', async (page) => {
  await page.getByRole('banner').getByText('Layerlab').waitFor();
  const tabs = await page.getByRole('tab').allTextContents();
  assert.deepEqual(tabs, ['Output', 'Layers', 'Cache', 'Files', 'Inspect', 'Checks', 'Terminal']);
  // The course example stops at `apt-get install python`, so there is no image to show.
  await page.getByRole('tab', { name: 'Layers' }).click();
  await waitForText(page.getByRole('tabpanel'), 'No image yet: the build has not finished.');
  // Arrow keys move between tabs.
  await page.getByRole('tab', { name: 'Layers' }).press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Cache' }).getAttribute('aria-selected'), 'true');
});

pageTest('typing a line updates the highlighted view and the line count', async (page) => {
  const source = page.getByLabel('Dockerfile source');
  await source.waitFor();
  await source.press('Control+End');
  await source.type('\nEXPOSE 5000');
  assert.equal(await page.locator('.gutter .gutter-line').count(), FLASK.split('\n').length + 1);
  const keywords = await page.locator('.highlight .tok-keyword').allTextContents();
  assert.equal(keywords.at(-1), 'EXPOSE');
});

pageTest('parse errors show with their line as you type, and the build recovers', async (page) => {
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\nRUN echo one\n');
  const status = page.getByRole('status');
  await waitForText(status, 'Built myapp · 7.8MB · 1 of 2 steps cached');
  const source = page.getByLabel('Dockerfile source');
  await source.press('Control+End');
  await source.type('CMD ["python3", 1]');
  await waitForText(status, 'Build failed: line 3: when using JSON array syntax, arrays must be comprised of strings only');
  assert.equal(await page.locator('.gutter .gutter-error').textContent(), '3');
  assert.equal(await page.locator('.highlight .line-error').count(), 1);
  await source.press('Backspace');
  await source.press('Backspace');
  await source.type('"app.py"]');
  await waitForText(status, 'Built myapp · 7.8MB · 3 of 3 steps cached');
  assert.equal(await page.locator('.gutter .gutter-error').count(), 0);
  assert.equal(await page.locator('.highlight .line-error').count(), 0);
});
