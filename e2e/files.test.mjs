// The Files panel: the image's tree at a chosen layer, with what each layer changed and
// the bytes a later layer hides.

import assert from 'node:assert/strict';
import { pageTest, waitForText, setFile } from './harness.mjs';

const FILE = 'FROM alpine:3.20\nRUN mkdir /data && echo 12345 > /data/a.txt\nRUN rm /data/a.txt\n';

pageTest('the file tree marks a file deleted in a later layer', async (page) => {
  await setFile(page, 'Dockerfile', FILE);
  await waitForText(page.getByRole('status'), 'Built myapp');
  await page.getByRole('tab', { name: 'Files' }).click();
  const layer = page.getByLabel('Layer', { exact: true });
  const options = await layer.locator('option').allTextContents();
  assert.equal(options.length, 3);
  assert.match(options[1], /^Layer 2 · 6B · line 2 · RUN \/bin\/sh -c mkdir \/data && echo 12345 > \/data\/a\.txt/);
  // The last layer is shown first: a.txt is removed there (a whiteout), struck through.
  const removed = page.locator('.tree-row[data-path="data/a.txt"]');
  await removed.waitFor();
  assert.match(await removed.getAttribute('class'), /tree-removed/);
  assert.equal(await removed.locator('.mark').textContent(), 'D');
  // At the layer that added it, it is marked as added and as deleted later by line 3.
  await layer.selectOption({ index: 1 });
  await waitForText(page.locator('.tree-row[data-path="data/a.txt"]'), 'deleted later (line 3)');
  const added = page.locator('.tree-row[data-path="data/a.txt"]');
  assert.equal(await added.locator('.mark').textContent(), 'A');
  assert.equal(await added.locator('.tree-size').textContent(), '6B');
  // The wasted-bytes list ties the bytes to both lines.
  const row = page.getByRole('row').filter({ hasText: '/data/a.txt' });
  assert.equal((await row.textContent()).replace(/\s+/g, ' ').trim(), '/data/a.txt6Bline 2line 3 (deleted)');
  // Filtering narrows the tree to matching paths and their folders.
  await page.getByLabel('Filter paths').fill('a.txt');
  const paths = await page.locator('.tree-row').evaluateAll((rows) => rows.map((r) => r.dataset.path));
  assert.deepEqual(paths, ['data', 'data/a.txt']);
});

pageTest('a check says what its mistake costs in the image', async (page) => {
  await setFile(page, 'Dockerfile', 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n');
  await waitForText(page.getByRole('status'), 'Built myapp', 15000);
  await page.getByRole('tab', { name: 'Checks' }).click();
  const finding = page.locator('.finding').filter({ hasText: 'AptUpdateAlone' });
  await waitForText(finding, 'Simulated cost: /var/lib/apt/lists/ in the layer of line 2: 19.9MB');
  assert.match(await finding.locator('.finding-why').textContent(), /^The layer from `RUN apt-get update` is cached\./);
});
