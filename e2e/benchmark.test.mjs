// The browser benchmark: figures printed, never asserted (speed is not a test verdict).
// - keystroke → panels updated (input event to the DOM after Yew's render), median and
//   95th percentile, for the course's Flask example and the largest real-world Dockerfile;
// - first load → interactive page with a finished build, on loopback;
// - what the page transfers, gzip -9, data files (loaded on demand) excluded.

import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { pageTest, waitForText, setFile } from './harness.mjs';

const LARGEST = new URL('../../shared/corpus/real-dockerfiles/43__moby_moby__Dockerfile', import.meta.url);
const DIST = process.env.LAYERLAB_DIST ?? path.resolve('dist');

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (${times.length} keystrokes)`;
}

/** Types `count` characters at the end of the Dockerfile, one input event each, timing each
 *  from the event to the end of the render it causes. */
async function keystrokes(page, count) {
  return page.evaluate(async (count) => {
    const area = document.querySelector('textarea.source');
    const base = area.value;
    const times = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      area.value = base + '#' + 'x'.repeat(i);
      area.dispatchEvent(new InputEvent('input', { bubbles: true }));
      // Yew renders in a microtask; a zero timeout runs after it.
      await new Promise((r) => setTimeout(r, 0));
      times.push(performance.now() - t0);
    }
    return times;
  }, count);
}

async function settled(page) {
  await page.waitForFunction(() => {
    const status = document.querySelector('[role=status]')?.textContent ?? '';
    return status.startsWith('Built') || status.startsWith('Build failed');
  }, null, { timeout: 20000 });
}

pageTest('benchmark: keystroke to panels, first load, transfer', async (page, url) => {
  await settled(page);
  const flask = await keystrokes(page, 60);
  console.log(`# bench: Flask example, keystroke → panels updated: ${stats(flask)}`);

  await setFile(page, 'Dockerfile', await fs.readFile(LARGEST, 'utf8'));
  await settled(page);
  await page.waitForTimeout(500);
  await settled(page);
  const large = await keystrokes(page, 30);
  console.log(`# bench: moby/moby Dockerfile (649 lines), keystroke → panels updated: ${stats(large)}`);

  const loads = [];
  for (let i = 0; i < 5; i++) {
    await page.evaluate(() => localStorage.clear());
    await page.goto(url);
    await settled(page);
    loads.push(await page.evaluate(() => performance.now()));
  }
  console.log(`# bench: first load → built page on loopback: ${stats(loads).replace('keystrokes', 'loads')}`);

  let gzip = 0;
  let raw = 0;
  for (const name of await fs.readdir(DIST)) {
    const file = path.join(DIST, name);
    if ((await fs.stat(file)).isFile()) {
      const bytes = await fs.readFile(file);
      raw += bytes.length;
      gzip += zlib.gzipSync(bytes, { level: 9 }).length;
    }
  }
  console.log(`# bench: transfer without data files: ${(raw / 1024).toFixed(0)} KB raw, ${(gzip / 1024).toFixed(0)} KB gzip -9`);
});
