// The live build: every edit re-runs the simulated `docker build` in the page, and the
// output, the gutter and the cache panel say what Docker would.

import assert from 'node:assert/strict';
import { pageTest, waitForText, waitForValue, setFile, gutterState } from './harness.mjs';

const TWO_STEPS = 'FROM alpine:3.20\nRUN echo one\n';
const ALPINE_FROM = '[1/3] FROM docker.io/library/alpine:3.20@sha256:f3ae3f9fe889e5bcbeecb34116cedfb47d16e4336bd5ffceb42501367ff87ded';

pageTest('typing a line updates the output and the gutter', async (page) => {
  await setFile(page, 'Dockerfile', TWO_STEPS);
  const output = page.getByLabel('Build output');
  await waitForText(output, '#5 [2/2] RUN echo one\n#5 0.150 one\n#5 DONE 0.2s\n');
  assert.equal(await gutterState(page, 2), 'rebuilt');
  const source = page.getByLabel('Dockerfile source');
  await source.press('Control+End');
  await source.type('RUN echo two');
  await waitForText(output, '#6 [3/3] RUN echo two\n#6 0.150 two\n#6 DONE 0.2s\n');
  const text = await output.textContent();
  assert.ok(text.startsWith('$ docker build -t myapp .\n#0 building with "default" instance using docker driver\n'), text);
  assert.ok(text.includes(`#4 ${ALPINE_FROM}\n`), text);
  assert.ok(text.includes('#5 [2/3] RUN echo one\n#5 CACHED\n'), text);
  assert.equal(await gutterState(page, 1), 'base');
  assert.equal(await gutterState(page, 2), 'cached');
  assert.equal(await gutterState(page, 3), 'rebuilt');
  // The layer size badge sits on the instruction's line.
  assert.equal(await page.locator('.code-line').nth(2).locator('.inlay').textContent(), '0B');
});

const COPY_APP = 'FROM alpine:3.20\nRUN echo deps > /deps.txt\nCOPY app.py /app/\nRUN wc -c /app/app.py\n';

pageTest('editing app.py rebuilds COPY and what follows; reverting it is all cached', async (page) => {
  await setFile(page, 'Dockerfile', COPY_APP);
  const output = page.getByLabel('Build output');
  await waitForText(output, 'RUN wc -c /app/app.py\n');
  const original = await page.getByLabel('app.py (build context file)').inputValue().catch(() => null);
  await page.getByRole('button', { name: 'app.py' }).click();
  const app = page.getByLabel('app.py (build context file)');
  const before = await app.inputValue();
  assert.equal(original, null, 'the Dockerfile was open first');
  await app.press('Control+End');
  await app.type('\n# changed');
  await page.getByRole('button', { name: 'Dockerfile' }).click();
  await waitForText(output, `#8 0.150 ${before.length + 10} /app/app.py\n`);
  assert.deepEqual(await states(page, [1, 2, 3, 4]), ['base', 'cached', 'rebuilt', 'rebuilt']);
  await page.getByRole('tab', { name: 'Cache' }).click();
  const copyRow = page.getByRole('row').filter({ hasText: 'COPY app.py /app/' });
  await waitForText(copyRow, 'rebuilt');
  assert.match(await copyRow.textContent(), /file app\.py changed/);
  // Revert: the cache has the original layers, so every step is a hit again.
  await page.getByRole('button', { name: 'app.py' }).click();
  await setFile(page, 'app.py', before);
  await page.getByRole('button', { name: 'Dockerfile' }).click();
  assert.deepEqual(await states(page, [1, 2, 3, 4]), ['base', 'cached', 'cached', 'cached']);
  await page.getByRole('tab', { name: 'Output' }).click();
  const text = await page.getByLabel('Build output').textContent();
  assert.ok(text.includes('[3/4] COPY app.py /app/\n#7 CACHED\n'), text);
  assert.ok(text.includes('[4/4] RUN wc -c /app/app.py\n#8 CACHED\n'), text);
});

pageTest('a failing RUN shows Docker\'s error and marks its line', async (page) => {
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\nRUN echo fine\nRUN exit 3\nRUN echo never\n');
  const output = page.getByLabel('Build output');
  await waitForText(output, 'ERROR: failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3\n');
  const text = await output.textContent();
  assert.ok(text.includes('#6 [3/4] RUN exit 3\n#6 ERROR: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3\n'), text);
  assert.ok(text.includes('Dockerfile:3\n--------------------\n   1 |     FROM alpine:3.20\n   2 |     RUN echo fine\n   3 | >>> RUN exit 3\n   4 |     RUN echo never\n   5 |     \n--------------------\n'), text);
  assert.equal(await gutterState(page, 3), 'failed');
  assert.equal(await gutterState(page, 4), null, 'the step after the failure never ran');
  await waitForText(page.getByRole('status'), 'Build failed: line 3: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
});

pageTest('the classic builder toggle prints the legacy builder\'s output', async (page) => {
  await setFile(page, 'Dockerfile', TWO_STEPS);
  await page.getByRole('button', { name: 'Classic builder' }).click();
  const output = page.getByLabel('Build output');
  await waitForText(output, 'Step 2/2 : RUN echo one\n');
  const text = await output.textContent();
  assert.ok(text.startsWith('$ DOCKER_BUILDKIT=0 docker build -t myapp .\nSending build context to Docker daemon'), text);
  assert.match(text, /Successfully tagged myapp:latest\n$/);
  // A RUN's standard error is red, as the daemon marks it; no escape codes are shown.
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\nRUN echo out; ls /nope || true\n');
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const input = page.getByLabel('Terminal command');
  await input.fill('DOCKER_BUILDKIT=0 docker build --no-cache -t red .');
  await input.press('Enter');
  const log = page.getByLabel('Terminal output');
  await waitForText(log.locator('.stderr'), 'ls: /nope: No such file or directory\n');
  assert.match(await log.textContent(), /\nout\nls: \/nope: No such file or directory\n ---> Removed intermediate container/);
  assert.ok(!(await log.textContent()).includes('\u001b'), 'escape codes are drawn, not printed');
});

pageTest('reload restores the workspace, context files included', async (page) => {
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\nRUN echo kept\n');
  await page.getByRole('button', { name: 'app.py' }).click();
  await setFile(page, 'app.py', 'print("kept too")\n');
  await page.reload();
  const dockerfile = page.getByLabel('Dockerfile source');
  assert.equal(await waitForValue(dockerfile, 'FROM alpine:3.20\nRUN echo kept\n'), 'FROM alpine:3.20\nRUN echo kept\n');
  await page.getByRole('button', { name: 'app.py' }).click();
  const appPy = page.getByLabel('app.py (build context file)');
  assert.equal(await waitForValue(appPy, 'print("kept too")\n'), 'print("kept too")\n');
  await waitForText(page.getByLabel('Build output'), '#5 0.150 kept\n');
});

async function states(page, lines) {
  return Promise.all(lines.map((l) => gutterState(page, l)));
}

pageTest('in a long file the build waits for a pause in typing, and every keystroke is saved at once', async (page) => {
  // 800 RUN steps: a build well over a frame, so typing must not wait for it.
  let text = 'FROM alpine:3.20\n';
  for (let i = 0; i < 800; i++) text += `RUN mkdir -p /opt/s${i} \\\n    && echo step ${i} > /opt/s${i}/a\n`;
  await page.getByLabel('Dockerfile source').waitFor();
  await page.evaluate((text) => {
    const area = document.querySelector('textarea.source');
    area.value = text;
    area.dispatchEvent(new InputEvent('input', { bubbles: true }));
  }, text);
  await waitForText(page.getByRole('status'), 'Built myapp', 20000);
  await page.evaluate(() => {
    const area = document.querySelector('textarea.source');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    document.execCommand('insertText', false, '# typed');
  });
  assert.match(await page.getByRole('status').textContent(), /^Editing… builds when you pause \(the last build took \d+ ms\)/);
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('layerlab.workspace.v1')).workspace.files.Dockerfile.text);
  assert.ok(saved.endsWith('/opt/s799/a\n# typed'), 'saved before the build ran');
  await waitForText(page.getByRole('status'), 'Built myapp', 5000);
  assert.equal(await page.locator('.gutter-line').count(), 1602);
});

pageTest('pip refuses on the system Python as PEP 668 says, and installs past it', async (page) => {
  const file = (flag) => `FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*\nRUN pip install ${flag}flask\n`;
  await setFile(page, 'Dockerfile', file(''));
  await waitForText(page.getByRole('status'), 'Build failed: line 3', 20000);
  const output = page.getByLabel('Build output');
  await waitForText(output, 'error: externally-managed-environment');
  await setFile(page, 'Dockerfile', file('--break-system-packages '));
  await waitForText(page.getByRole('status'), 'Built myapp', 20000);
  await waitForText(output, 'Successfully installed blinker-1.9.0 click-8.5.1 flask-3.1.3 itsdangerous-2.2.0 jinja2-3.1.6 markupsafe-3.0.4 werkzeug-3.1.9');
});

pageTest('the course examples: Ubuntu noble\'s apt has no candidate for python; python:3.6.1-alpine builds on python:3.12-alpine with a note; apk installs from the Alpine catalog', async (page) => {
  // The page opens on the course's Flask example (FROM ubuntu).
  const output = page.getByLabel('Build output');
  await waitForText(page.getByRole('status'), 'Build failed: line 4', 20000);
  await waitForText(output, "E: Package 'python' has no installation candidate");
  // apt answers from Ubuntu noble's own archive, with no note about a foreign catalog.
  await waitForText(output, 'http://archive.ubuntu.com/ubuntu noble InRelease [256 kB]');
  assert.doesNotMatch(await output.textContent(), /Debian bookworm/);
  await setFile(page, 'Dockerfile', 'FROM python:3.6.1-alpine\nRUN pip install flask\nCMD ["python", "app.py"]\n');
  await waitForText(page.getByRole('status'), 'Built myapp', 20000);
  await waitForText(page.locator('.notes'), 'python:3.6.1-alpine is not modelled; Layerlab uses python:3.12-alpine, the nearest modelled tag of python');
  await waitForText(output, 'Successfully installed blinker-1.9.0 click-8.5.1 flask-3.1.3 itsdangerous-2.2.0 jinja2-3.1.6 markupsafe-3.0.4 werkzeug-3.1.9');
  await waitForText(output, "layerlab: this image's C library is musl");
  // apk's catalog is fetched when a build first needs it.
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\nRUN apk add --no-cache curl\n');
  await waitForText(page.getByRole('status'), 'Built myapp', 20000);
  await waitForText(output, '(10/10) Installing curl (8.10.1-r0)\n');
  await waitForText(output, 'OK: 13 MiB in 24 packages');
});

pageTest('the node example: npm ci from the lockfile, then an edit to server.js keeps it cached', async (page) => {
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByLabel('Open an example').selectOption('node-npm');
  const output = page.getByLabel('Build output');
  await waitForText(page.getByRole('status'), 'Built myapp', 30000);
  await waitForText(output, 'added 68 packages in ');
  await waitForText(output, '31 packages are looking for funding\n');
  await waitForText(output, 'layerlab: npm audit is not simulated');
  await page.getByRole('button', { name: 'server.js' }).click();
  await setFile(page, 'server.js', "console.log('changed');\n");
  await page.getByRole('button', { name: 'Dockerfile' }).click();
  await waitForText(output, '[4/5] RUN npm ci --omit=dev && npm cache clean --force\n#8 CACHED\n', 20000);
});

pageTest('the venv example: pip installs into the venv, which the final stage copies', async (page) => {
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByLabel('Open an example').selectOption('python-venv');
  const output = page.getByLabel('Build output');
  await waitForText(page.getByRole('status'), 'Built myapp', 30000);
  await waitForText(output, 'Successfully installed blinker-1.9.0 click-8.5.1 flask-3.1.3 itsdangerous-2.2.0 jinja2-3.1.6 markupsafe-3.0.4 werkzeug-3.1.9');
  const text = await output.textContent();
  assert.ok(!text.includes("WARNING: Running pip as the 'root' user"), 'no root warning inside a venv');
});
