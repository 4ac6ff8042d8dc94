// A share link carries the whole workspace: opened in a fresh browser profile (no
// autosave), it restores the Dockerfile and the context files. Two tabs never silently
// overwrite each other's autosave.

import assert from 'node:assert/strict';
import { pageTest, waitForText, waitForValue, setFile, launchBrowser } from './harness.mjs';

pageTest('a share link opened in a fresh browser profile restores the workspace', async (page) => {
  const dockerfile = 'FROM alpine:3.20\nCOPY app.py /app/\nRUN echo "shared ünïcode"\n';
  await setFile(page, 'Dockerfile', dockerfile);
  await page.getByRole('button', { name: 'app.py' }).click();
  await setFile(page, 'app.py', 'print("from the link")\n');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link URL').inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#w=[A-Za-z0-9_-]+$/);

  const fresh = await launchBrowser();
  try {
    const other = await fresh.context.newPage();
    await other.goto(link);
    const source = other.getByLabel('Dockerfile source');
    await waitForText(other.getByLabel('Build output'), '#7 [3/3] RUN echo "shared ünïcode"');
    assert.equal(await source.inputValue(), dockerfile);
    await other.getByRole('button', { name: 'app.py' }).click();
    const appPy = other.getByLabel('app.py (build context file)');
    assert.equal(await waitForValue(appPy, 'print("from the link")\n'), 'print("from the link")\n');
    // The fragment is dropped once loaded; the workspace now lives in the autosave.
    assert.equal(new URL(other.url()).hash, '');
    await other.reload();
    assert.equal(await waitForValue(other.getByLabel('Dockerfile source'), dockerfile), dockerfile);
  } finally {
    await fresh.close();
  }
});

pageTest('two tabs never silently overwrite each other', async (page, url) => {
  const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('layerlab.workspace.v1')).workspace.files.Dockerfile.text);
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\n# tab one\n');
  const other = await page.context().newPage();
  try {
    await other.goto(url);
    const opened = await waitForValue(other.getByLabel('Dockerfile source'), 'FROM alpine:3.20\n# tab one\n');
    assert.equal(opened, 'FROM alpine:3.20\n# tab one\n', 'a new tab opens the autosave');
    await setFile(other, 'Dockerfile', 'FROM alpine:3.20\n# tab two\n');
    // The first tab edits again: it finds the other tab's newer save and keeps both.
    await setFile(page, 'Dockerfile', 'FROM alpine:3.20\n# tab one, later\n');
    await waitForText(page.locator('.banner'), 'Another tab saved a different workspace. This tab stopped autosaving so neither is lost.');
    assert.equal(await stored(), 'FROM alpine:3.20\n# tab two\n', 'the other tab\'s save is not overwritten');
    await page.getByRole('button', { name: 'Keep this tab\'s' }).click();
    assert.equal(await stored(), 'FROM alpine:3.20\n# tab one, later\n', 'keeping this tab\'s saves it');
    assert.equal(await page.locator('.banner').count(), 0);
    // Now the other tab is the one that finds a newer save; it takes this tab's.
    await setFile(other, 'Dockerfile', 'FROM alpine:3.20\n# tab two, later\n');
    await other.getByRole('button', { name: 'Load the other tab\'s' }).click();
    const taken = await waitForValue(other.getByLabel('Dockerfile source'), 'FROM alpine:3.20\n# tab one, later\n');
    assert.equal(taken, 'FROM alpine:3.20\n# tab one, later\n');
  } finally {
    await other.close();
  }
});
