// Layerlab's parser (Rust → wasm) against dockerfile-ast (the parser behind VS Code's
// Docker support), in the same Node process, on the same real-world Dockerfiles.
// Run by `cargo xtask bench`; prints figures, asserts nothing about speed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [wasmGlue, corpusDir] = process.argv.slice(2);
const layerlab = require(path.resolve(wasmGlue));
const { DockerfileParser } = require('dockerfile-ast');

const files = fs.readdirSync(corpusDir)
  .filter((f) => f !== 'MANIFEST.txt')
  .sort()
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(corpusDir, f), 'utf8') }));
const largest = files.reduce((a, b) => (b.text.length > a.text.length ? b : a));

// Both parsers must see every file as valid before their times mean anything.
for (const f of files) {
  if (layerlab.parse(f.text) === 0) throw new Error(`layerlab failed on ${f.name}`);
  if (DockerfileParser.parse(f.text).getInstructions().length === 0) throw new Error(`dockerfile-ast failed on ${f.name}`);
}

/** Median microseconds per call of fn over the texts, after warming up. */
function time(fn, texts, rounds = 15) {
  const perRound = [];
  for (let i = 0; i < 200; i++) texts.forEach(fn);
  for (let r = 0; r < rounds; r++) {
    const reps = 50;
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) texts.forEach(fn);
    perRound.push(Number(process.hrtime.bigint() - start) / 1000 / reps);
  }
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(rounds / 2)];
}

const all = files.map((f) => f.text);
const rows = [
  ['all files', all],
  [`largest (${largest.name}, ${largest.text.length} bytes)`, [largest.text]],
];
console.log(`Node ${process.version}, ${files.length} files, ${all.join('').length} bytes`);
for (const [label, texts] of rows) {
  const ours = time((t) => layerlab.parse(t), texts);
  const oursChecked = time((t) => layerlab.front_end(t), texts);
  const theirs = time((t) => DockerfileParser.parse(t).getInstructions().length, texts);
  console.log(`${label}:`);
  console.log(`  layerlab parse (wasm)        ${ours.toFixed(1).padStart(9)} µs`);
  console.log(`  layerlab parse+check (wasm)  ${oursChecked.toFixed(1).padStart(9)} µs`);
  console.log(`  dockerfile-ast parse (JS)    ${theirs.toFixed(1).padStart(9)} µs`);
  console.log(`  ratio dockerfile-ast / layerlab parse: ${(theirs / ours).toFixed(2)}x`);
}
