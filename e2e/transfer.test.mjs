// Files in and out: uploads (text and binary), a dropped file, the workspace exported and
// imported as a tar, and the engine's exports (build context, docker save) as downloads.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { pageTest, waitForText, waitForValue, setFile } from './harness.mjs';

/** Entries of a tar: [{ name, type, bytes }] (ustar: name in 0..100, prefix in 345..500). */
function readTar(buffer) {
  const entries = [];
  for (let offset = 0; offset + 512 <= buffer.length; ) {
    const header = buffer.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from, to) => header.subarray(from, to).toString('latin1').replace(/\0.*$/s, '');
    const prefix = text(345, 500);
    const name = (prefix ? `${prefix}/` : '') + text(0, 100);
    const size = parseInt(text(124, 136).trim() || '0', 8);
    entries.push({ name, type: text(156, 157) || '0', bytes: buffer.subarray(offset + 512, offset + 512 + size) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** A ustar archive of regular files. */
function writeTar(files) {
  const blocks = [];
  for (const [name, content] of Object.entries(files)) {
    const bytes = Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 'latin1');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(bytes.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136);
    header.write('0', 156);
    header.write('ustar\x0000', 257, 'latin1');
    header.fill(' ', 148, 156);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    blocks.push(header, bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: await fs.readFile(await download.path()) };
}

function openMenu(page) {
  return page.locator('.transfer-menu summary').click();
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

pageTest('uploaded files join the context and the workspace exports and imports as a tar', async (page) => {
  await openMenu(page);
  await page.locator('input[aria-label="Upload files"]').setInputFiles([
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\n') },
    { name: 'logo.png', mimeType: 'image/png', buffer: PNG },
  ]);
  await waitForText(page.locator('.notice'), 'Added notes.txt, logo.png.');
  await page.getByRole('button', { name: 'logo.png', exact: true }).click();
  await waitForText(page.locator('.binary-file'), 'logo.png is a binary file of 10 bytes.');

  await openMenu(page);
  const exported = await downloaded(page, () => page.getByRole('button', { name: 'Export workspace (.tar)' }).click());
  assert.equal(exported.name, 'flask.tar');
  const entries = readTar(exported.bytes);
  assert.deepEqual(entries.map((e) => e.name), ['Dockerfile', 'app.py', 'logo.png', 'notes.txt']);
  assert.deepEqual([...entries[2].bytes], [...PNG], 'binary bytes survive');

  // `tar -cf proj.tar proj/`: the top folder is stripped.
  const tar = writeTar({ 'proj/Dockerfile': 'FROM alpine:3.20\nCOPY hello.txt /\n', 'proj/hello.txt': 'hi\n' });
  page.once('dialog', (dialog) => dialog.accept());
  await page.locator('input[aria-label="Import workspace"]').setInputFiles({ name: 'proj.tar', mimeType: 'application/x-tar', buffer: tar });
  await waitForText(page.locator('.notice'), 'Added Dockerfile, hello.txt.');
  const tabs = await page.locator('.file-tab').allTextContents();
  assert.deepEqual(tabs, ['Dockerfile', 'hello.txt']);
  const imported = 'FROM alpine:3.20\nCOPY hello.txt /\n';
  assert.equal(await waitForValue(page.getByLabel('Dockerfile source'), imported), imported);
  await waitForText(page.getByRole('status'), 'Built myapp');
});

pageTest('a file dropped on the editor joins the build context', async (page) => {
  const transfer = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['PORT=5000\n'], 'app.env', { type: 'text/plain' }));
    return data;
  });
  const pane = page.locator('.editor-pane');
  await pane.dispatchEvent('dragover', { dataTransfer: transfer });
  await pane.dispatchEvent('drop', { dataTransfer: transfer });
  await waitForText(page.locator('.notice'), 'Added app.env.');
  assert.equal(await waitForValue(page.getByLabel('app.env (build context file)'), 'PORT=5000\n'), 'PORT=5000\n');
});

pageTest('the build context and the image download as docker reads them', async (page) => {
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\nCOPY app.py /app/\n');
  await waitForText(page.getByRole('status'), 'Built myapp');

  await openMenu(page);
  const context = await downloaded(page, () => page.getByRole('button', { name: 'Download build context (.tar)' }).click());
  assert.equal(context.name, 'context.tar');
  assert.deepEqual(readTar(context.bytes).map((e) => e.name), ['Dockerfile', 'app.py']);

  await openMenu(page);
  const image = await downloaded(page, () => page.getByRole('button', { name: 'Download image myapp (docker save)' }).click());
  assert.equal(image.name, 'myapp.tar');
  const files = readTar(image.bytes);
  const manifest = JSON.parse(files.find((e) => e.name === 'manifest.json').bytes.toString());
  assert.deepEqual(manifest[0].RepoTags, ['myapp:latest']);
  assert.equal(manifest[0].Layers.length, 2);
  const copyLayer = readTar(files.find((e) => e.name === manifest[0].Layers[1]).bytes);
  assert.deepEqual(copyLayer.map((e) => e.name), ['app/', 'app/app.py']);

  // The terminal's `docker save -o` downloads the same kind of archive.
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const input = page.getByLabel('Terminal command');
  await input.fill('docker save -o app.tar myapp');
  const saved = await downloaded(page, () => input.press('Enter'));
  assert.equal(saved.name, 'app.tar');
  assert.deepEqual(saved.bytes, image.bytes);
  await waitForText(page.getByLabel('Terminal output'), 'layerlab: your browser downloads app.tar');
});

pageTest('a workspace too big for the browser\'s storage says so instead of losing edits', async (page) => {
  await openMenu(page);
  const big = (i) => ({ name: `blob${i}.bin`, mimeType: 'application/octet-stream', buffer: Buffer.alloc(900_000, i + 0x80) });
  await page.locator('input[aria-label="Upload files"]').setInputFiles([0, 1, 2, 3, 4, 5].map(big));
  await waitForText(page.locator('.notice'), 'The browser\'s storage refused this workspace');
  assert.match(await page.locator('.notice').textContent(), /export it as a tar to keep it/);
  // Files over 1 MB are left out with a reason.
  await openMenu(page);
  await page.locator('input[aria-label="Upload files"]').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1_200_000, 1) });
  await waitForText(page.locator('.notice'), 'Left out: huge.bin (1200000 bytes): files over 1 MB are not kept.');
});

pageTest('files and folders of the context are created, renamed and deleted', async (page) => {
  const answer = (value) => page.once('dialog', (dialog) => dialog.accept(value));
  const tabs = () => page.locator('.file-tab').allTextContents();
  answer('src/util.py');
  await page.getByRole('button', { name: 'New file' }).click();
  await page.getByLabel('src/util.py (build context file)').fill('X = 1\n');
  assert.deepEqual(await tabs(), ['Dockerfile', 'app.py', 'src/util.py']);

  answer('lib');
  await page.getByRole('button', { name: 'Rename folder' }).click();
  assert.deepEqual(await tabs(), ['Dockerfile', 'app.py', 'lib/util.py']);
  const moved = await waitForValue(page.getByLabel('lib/util.py (build context file)'), 'X = 1\n');
  assert.equal(moved, 'X = 1\n', 'the open file moved with its folder');

  answer('lib/helpers.py');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  assert.deepEqual(await tabs(), ['Dockerfile', 'app.py', 'lib/helpers.py']);

  answer('app.py');
  await page.getByRole('button', { name: 'New file' }).click();
  await waitForText(page.locator('.notice'), 'app.py already exists');

  answer();
  await page.getByRole('button', { name: 'Delete folder' }).click();
  assert.deepEqual(await tabs(), ['Dockerfile', 'app.py']);
  await page.getByLabel('Dockerfile source').waitFor();
});
