// The terminal runs the course's docker commands on the page's daemon, and agrees with the
// panels.

import assert from 'node:assert/strict';
import { pageTest, waitForText, setFile } from './harness.mjs';

const FILE = 'FROM alpine:3.20\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n';

/** Table cells without the CREATED column (its words depend on the second it is read). */
function cells(table) {
  return table.trim().split('\n').map((row) => row.split(/ {2,}/).filter((_, i) => i !== 1));
}

async function typeCommand(page, line) {
  const input = page.getByLabel('Terminal command');
  await input.fill(line);
  await input.press('Enter');
}

pageTest('the terminal\'s docker history matches the Layers panel', async (page) => {
  await setFile(page, 'Dockerfile', FILE);
  await page.getByRole('tab', { name: 'Terminal' }).click();
  // `myapp` is the live build's image, the one the Layers panel draws. (A terminal build
  // in a later second would make a new image: its CMD row gets that build's time.)
  await typeCommand(page, 'docker history myapp');
  const log = page.getByLabel('Terminal output');
  await waitForText(log, 'ADD alpine-minirootfs-3.20.3-x86_64.tar.gz /…');
  const entries = page.locator('.terminal-entry');
  const fromTerminal = await entries.last().locator('.terminal-text').textContent();
  await page.getByRole('tab', { name: 'Layers' }).click();
  const fromPanel = await page.getByLabel('docker history').textContent();
  assert.deepEqual(cells(fromTerminal), cells(fromPanel));
  assert.equal(cells(fromPanel).length, 5, fromPanel);
  assert.deepEqual(cells(fromPanel)[2], ['<missing>', 'COPY app.py /app/ # buildkit', '159B', 'buildkit.dockerfile.v0']);
  // The live build already ran this Dockerfile: the terminal's build hits the cache.
  await page.getByRole('tab', { name: 'Terminal' }).click();
  await typeCommand(page, 'docker build -t myapp .');
  await waitForText(page.getByLabel('Terminal output'), '#7 naming to docker.io/library/myapp:latest done');
  assert.match(await page.getByLabel('Terminal output').textContent(), /#6 \[2\/2\] COPY app\.py \/app\/\n#6 CACHED\n/);
});

pageTest('the terminal recalls lines, completes words and runs the course\'s commands', async (page) => {
  await setFile(page, 'Dockerfile', FILE);
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const input = page.getByLabel('Terminal command');
  await input.fill('docker ima');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'docker image');
  await waitForText(page.locator('.terminal-hint'), 'image  images');
  await input.fill('docker images');
  await input.press('Enter');
  const log = page.getByLabel('Terminal output');
  await waitForText(log, 'REPOSITORY   TAG       IMAGE ID       CREATED');
  assert.match(await log.textContent(), /myapp        latest    [0-9a-f]{12}   /);
  await typeCommand(page, 'docker run -p 5001:5000 -d myapp');
  await waitForText(log, 'docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "python": executable file not found in $PATH: unknown.');
  await typeCommand(page, 'docker push user/myapp');
  await waitForText(log, 'An image does not exist locally with the tag: user/myapp');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'docker push user/myapp');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'docker run -p 5001:5000 -d myapp');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'docker push user/myapp');
  await input.fill('docker history my');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'docker history myapp ');
});

pageTest('the Layers panel names the image by ID once the terminal moves its tag away', async (page) => {
  await setFile(page, 'Dockerfile', FILE);
  await waitForText(page.getByRole('status'), 'Built myapp');
  await page.getByRole('tab', { name: 'Layers' }).click();
  await waitForText(page.locator('.panel-heading').first(), '$ docker history myapp');
  await page.getByRole('tab', { name: 'Terminal' }).click();
  await typeCommand(page, 'docker tag myapp me/app:1.0');
  await typeCommand(page, 'docker rmi myapp');
  await waitForText(page.getByLabel('Terminal output'), 'Untagged: myapp:latest');
  await page.getByRole('tab', { name: 'Layers' }).click();
  assert.equal(await page.locator('.panel-heading').first().textContent(), '$ docker history me/app:1.0');
  // Removed altogether, the panel says so.
  await page.getByRole('tab', { name: 'Terminal' }).click();
  await typeCommand(page, 'docker rmi me/app:1.0');
  await waitForText(page.getByLabel('Terminal output'), 'Deleted: sha256:');
  await page.getByRole('tab', { name: 'Layers' }).click();
  await waitForText(page.getByRole('tabpanel'), 'was removed (docker rmi); any edit builds it again.');
});

pageTest('docker run starts the course\'s Flask app on the python image', async (page) => {
  // The course example's app.py is in the workspace; the Dockerfile installs Flask for it.
  await setFile(page, 'Dockerfile', 'FROM python:3.12-slim\nWORKDIR /app\nRUN pip install flask\nCOPY app.py .\nCMD ["python", "app.py"]\n');
  await waitForText(page.getByRole('status'), 'Built myapp', 30000);
  await page.getByRole('tab', { name: 'Terminal' }).click();
  await typeCommand(page, 'docker run -p 5001:5000 myapp');
  const log = page.getByLabel('Terminal output');
  await waitForText(log, " * Serving Flask app 'app'\n * Debug mode: off\n");
  await waitForText(log, ' * Running on http://172.17.0.2:5000\nPress CTRL+C to quit\n');
  await waitForText(log, 'layerlab: the container keeps running, the server on port 5000, published on host port 5001.');
  // The course's way: detached, then listed and its logs read.
  await typeCommand(page, 'docker run -p 5002:5000 -d myapp');
  await typeCommand(page, 'docker ps');
  await waitForText(log, '0.0.0.0:5002->5000/tcp, [::]:5002->5000/tcp');
  // CREATED and STATUS read the page's real clock: on a busy machine a second may pass
  // between `docker run` and `docker ps`. Either way both say the same go-units duration
  // (the exact table, with a fixed clock, is tested natively in crates/engine/tests/terminal.rs);
  // the columns are padded to the widest row, so a shorter duration has more spaces after it.
  const row = /[0-9a-f]{12}   myapp     "python app.py"   (Less than a second|1 second|(?:[2-9]|[1-5][0-9]) seconds) ago {3,}Up \1 {3,}0\.0\.0\.0:5002->5000\/tcp/;
  assert.match(await log.textContent(), row);
});

pageTest('docker build --network=none and ONBUILD triggers print as Docker prints them', async (page) => {
  await setFile(page, 'Dockerfile', 'FROM alpine:3.20\nONBUILD RUN echo triggered > /t\nONBUILD COPY app.py /app/\n');
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const log = page.getByLabel('Terminal output');
  await typeCommand(page, 'docker build -t base .');
  await waitForText(log, 'naming to docker.io/library/base:latest done');
  await setFile(page, 'Dockerfile', 'FROM base\nRUN cat /t\n');
  await typeCommand(page, 'docker build -t child .');
  await waitForText(log, 'naming to docker.io/library/child:latest done');
  const text = await log.textContent();
  assert.match(text, /\[2\/4\] ONBUILD RUN echo triggered > \/t\n/);
  assert.match(text, /\[3\/4\] ONBUILD COPY app\.py \/app\/\n/);
  await setFile(page, 'Dockerfile', 'FROM debian:bookworm-slim\nRUN apt-get update\n');
  await typeCommand(page, 'docker build --network=none -t offline .');
  await waitForText(log, 'W: Some index files failed to download. They have been ignored, or old ones used instead.', 30000);
  assert.match(await log.textContent(), /Err:1 http:\/\/deb\.debian\.org\/debian bookworm InRelease\n#\d+ [\d.]+ +Temporary failure resolving 'deb\.debian\.org'/);
});
