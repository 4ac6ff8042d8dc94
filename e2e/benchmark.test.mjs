// The browser benchmark: figures printed, never asserted (speed is not a test verdict).
// - keystroke → panels updated (input event to the DOM after Yew's render), median and
//   95th percentile, for the course's Flask example and the largest real-world Dockerfile;
//   when a build takes longer than a frame the page builds after a pause in typing, so for
//   large files it prints the keystroke cost, the build's own time, and the time from the
//   last keystroke to the panels updated (pause included), also for a 2,000-line file;
// - first load → interactive page with a finished build, on loopback;
// - what the page transfers, gzip -9, data files (loaded on demand) excluded.

import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { pageTest } from './harness.mjs';

const LARGEST = new URL('../../shared/corpus/real-dockerfiles/43__moby_moby__Dockerfile', import.meta.url);
const DIST = process.env.LAYERLAB_DIST ?? path.resolve('dist');

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (${times.length} keystrokes)`;
}

/** Types `count` characters at the end of the Dockerfile as a user does (the browser's
 *  insertText, one input event each), timing each from the keystroke to the end of the
 *  render it causes. */
async function keystrokes(page, count) {
  return page.evaluate(async (count) => {
    const area = document.querySelector('textarea.source');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    const times = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      document.execCommand('insertText', false, i === 0 ? '#' : 'x');
      // Yew renders in a microtask; a zero timeout runs after it.
      await new Promise((r) => setTimeout(r, 0));
      times.push(performance.now() - t0);
    }
    return times;
  }, count);
}

/** 400 RUN instructions of five lines each after a FROM: 2,001 lines. */
function twoThousandLines() {
  let text = 'FROM alpine:3.20\n';
  for (let i = 0; i < 400; i++) {
    text += `RUN mkdir -p /opt/s${i} \\\n    && echo step ${i} > /opt/s${i}/a \\\n    && echo more >> /opt/s${i}/a \\\n    && cp /opt/s${i}/a /opt/s${i}/b \\\n    && rm /opt/s${i}/b\n`;
  }
  return text;
}

/** A large file: keystroke cost, the build's own time, last keystroke → panels updated. */
async function large(page, label, text) {
  // One input event with the whole text (Playwright's fill inserts it as typed text, which
  // Chromium's undo stack makes slow for large files).
  await page.evaluate((text) => {
    const area = document.querySelector('textarea.source');
    area.value = text;
    area.dispatchEvent(new InputEvent('input', { bubbles: true }));
  }, text);
  await settled(page);
  await page.waitForTimeout(800);
  await settled(page);
  const builds = [];
  const typing = [];
  const updated = [];
  let paused = false;
  for (let round = 0; round < 5; round++) {
    typing.push(...(await keystrokes(page, 10)));
    paused ||= (await page.getByRole('status').textContent()).startsWith('Editing');
    const t0 = await page.evaluate(() => performance.now());
    await settled(page);
    updated.push((await page.evaluate(() => performance.now())) - t0);
    builds.push(Number(await page.getByRole('status').getAttribute('data-build-ms')));
  }
  // A build faster than a frame runs on every keystroke: the keystroke time then includes it.
  const what = paused ? 'editor updated (the build waits for a pause)' : 'editor and panels updated';
  console.log(`# bench: ${label}, keystroke → ${what}: ${stats(typing)}`);
  console.log(`# bench: ${label}, the build itself: ${stats(builds).replace('keystrokes', 'builds')}`);
  console.log(`# bench: ${label}, last keystroke → panels updated (pause included): ${stats(updated).replace('keystrokes', 'pauses')}`);
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

  await large(page, 'moby/moby Dockerfile (649 lines)', await fs.readFile(LARGEST, 'utf8'));
  await large(page, 'a 2,000-line Dockerfile', twoThousandLines());

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
