// The first page: the editor holds the course's Flask example, the frame is complete, and the
// core (compiled to wasm) answers edits.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { pageTest } from './harness.mjs';

const FLASK = await fs.readFile(new URL('../static/examples/flask/Dockerfile', import.meta.url), 'utf8');

pageTest('editor loads the course Flask example', async (page) => {
  const source = page.getByLabel('Dockerfile source');
  await source.waitFor();
  assert.equal(await source.inputValue(), FLASK);
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
  await page.getByRole('tab', { name: 'Layers' }).click();
  const panel = page.getByRole('tabpanel');
  await panel.getByText('docker history table').waitFor();
  assert.match(await panel.textContent(), /Not built yet/);
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

pageTest('the parser (wasm) reports errors with their line as you type, and recovers', async (page) => {
  const status = page.getByRole('status');
  await status.getByText('Parsed: 7 instructions').waitFor();
  const source = page.getByLabel('Dockerfile source');
  await source.press('Control+End');
  await source.type('\nCMD ["python3", 1]');
  const lineCount = FLASK.split('\n').length + 1;
  await status
    .getByText(`dockerfile parse error on line ${lineCount}: when using JSON array syntax, arrays must be comprised of strings only`)
    .waitFor();
  assert.equal(await page.locator('.gutter .gutter-error').textContent(), String(lineCount));
  assert.equal(await page.locator('.highlight .line-error').count(), 1);
  await source.press('Backspace');
  await source.press('Backspace');
  await source.type('"app.py"]');
  await status.getByText('Parsed: 8 instructions').waitFor();
  assert.equal(await page.locator('.gutter .gutter-error').count(), 0);
  assert.equal(await page.locator('.highlight .line-error').count(), 0);
});
