#!/usr/bin/env node
// Make sure every model and image in models/manifest.json is present and has
// the recorded sha256. Missing (or stale) models are produced on demand:
//   - torchvision classifiers, segmentation nets and SSDLite: models/export_torchvision.py (needs Debian's
//     python3-torch, python3-torchvision, python3-onnx; ~80 s for all nine),
//   - BlazeFace: `npm pack` of the Apache-2.0 Unity package that ships it;
//   - face expression: `npm pack` of @vladmandic/face-api (MIT), its TF.js weights converted
//     by models/convert_face_expression.py (needs python3-onnx);
//   - ImageNet labels (manifest "data"): `npm pack` of @tensorflow-models/mobilenet
//     (Apache-2.0), its class list parsed by models/imagenet_labels.py.
// Generated files go to models/generated/ (git-ignored); images are committed.
//
// Idempotent: when everything is present it only hashes the files (~0.2 s).
//
// Usage: node models/prepare.mjs [--check] [--update-manifest] [name ...]
//   --check            verify only; never generate (exit 1 if anything is off)
//   --update-manifest  after generating, write the observed sha256s into the
//                      manifest instead of failing (for intentional changes)
//   PYTHON=/path       interpreter with torch (default /usr/bin/python3)
//   LITECNN_MODELS_DIR=/dir  where models go (default models/generated); the
//                      test reads the same variable

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync,
  writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { extractTarball, npmTarball } from './npm_package.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..');
const MANIFEST = join(HERE, 'manifest.json');
// LITECNN_MODELS_DIR lets CI keep models outside its fresh clone (a cache).
const GENERATED = process.env.LITECNN_MODELS_DIR || join(HERE, 'generated');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';

const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const updateManifest = args.includes('--update-manifest');
const only = args.filter((a) => !a.startsWith('--'));

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));

function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** 'ok' | 'missing' | 'mismatch:<sha>' */
function status(path, want) {
  if (!existsSync(path)) return 'missing';
  const got = sha256File(path);
  return got === want ? 'ok' : `mismatch:${got}`;
}

function run(cmd, argv, opts = {}) {
  const out = execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  return out ? out.toString() : ''; // null when stdout is not piped
}

function exportTorchvision(names) {
  try {
    run(PYTHON, ['-c', 'import torch, torchvision, onnx'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${PYTHON} cannot import torch/torchvision/onnx. On Debian: ` +
      'apt-get install python3-torch python3-torchvision python3-onnx ' +
      '(or set PYTHON to an interpreter that has them)');
  }
  // The exporter prints one line per model. Its stderr is mostly torch's
  // (expected, harmless) tracer warnings, so it is shown only on failure.
  const r = spawnSync(PYTHON, [join(HERE, 'export_torchvision.py'), '--out-dir', GENERATED,
    ...names], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    const tail = (r.stderr || '').trim().split('\n').slice(-20).join('\n');
    throw new Error(`export_torchvision.py failed (exit ${r.status ?? r.signal}):\n${tail}`);
  }
}

// npm sources: the tarball (`npm pack`, cached in <models dir>/npm/, sha256-checked when the
// manifest has tarball_sha256), then either one file copied as it is (path_in_package) or
// files (sha256-checked) given to a converter script that writes the ONNX.
function fetchNpmFile(entry) {
  const { package: pkg, version, path_in_package: inner, tarball_sha256: tarSha, files = {}, converter } = entry.source;
  const tarball = npmTarball(pkg, version, join(GENERATED, 'npm'), tarSha);
  const dir = extractTarball(tarball, files);
  try {
    const out = join(GENERATED, entry.file);
    if (converter) {
      // python3 converter.py <files in manifest order> <out>
      run(PYTHON, [join(REPO, converter), ...Object.keys(files).map((f) => join(dir, 'package', f)), out],
        { stdio: ['ignore', 'inherit', 'inherit'] });
    } else {
      copyFileSync(join(dir, 'package', inner), `${out}.tmp`);
      renameSync(`${out}.tmp`, out);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function produce(entries) {
  mkdirSync(GENERATED, { recursive: true });
  const tv = entries.filter((e) => e.source.kind === 'torchvision-export');
  if (tv.length) exportTorchvision(tv.map((e) => e.name));
  for (const e of entries.filter((x) => x.source.kind === 'npm')) {
    console.log(`${e.name}: from npm ${e.source.package}@${e.source.version}${e.source.converter ? `, converted by ${e.source.converter}` : ''}`);
    fetchNpmFile(e);
  }
  const unknown = entries.filter((e) => !['torchvision-export', 'npm'].includes(e.source.kind));
  if (unknown.length) throw new Error(`don't know how to produce ${unknown.map((e) => e.name)}`);
}

function main() {
  const t0 = performance.now();
  // Data files (labels) are produced and verified like models.
  const models = [...manifest.models, ...(manifest.data ?? [])].filter((m) => !only.length || only.includes(m.name));
  const problems = [];

  // Images are committed: they are only verified.
  for (const img of manifest.images) {
    const s = status(join(HERE, img.file), img.sha256);
    if (s !== 'ok') problems.push(`models/${img.file}: ${s} (committed file changed?)`);
  }

  const pathOf = (m) => join(GENERATED, m.file);
  const todo = models.filter((m) => status(pathOf(m), m.sha256) !== 'ok');
  if (todo.length && checkOnly) {
    for (const m of todo) problems.push(`${m.name}: ${status(pathOf(m), m.sha256)}`);
  } else if (todo.length) {
    // Stale files (mismatch) are regenerated too: they may predate a manifest
    // change. Only a mismatch *after* regeneration is an error.
    console.log(`producing: ${todo.map((m) => m.name).join(', ')}`);
    produce(todo);
    for (const m of todo) {
      const s = status(pathOf(m), m.sha256);
      if (s === 'ok') continue;
      if (updateManifest && s.startsWith('mismatch:')) {
        m.sha256 = s.slice('mismatch:'.length);
        m.bytes = statSync(pathOf(m)).size;
        console.log(`${m.name}: manifest sha256 updated to ${m.sha256}`);
        continue;
      }
      problems.push(`${m.name}: freshly produced file has sha256 ${s.replace('mismatch:', '')}, ` +
        `manifest says ${m.sha256}.` + (m.source.kind === 'torchvision-export'
        ? ' The export is byte-deterministic with the Debian 12 packages listed under ' +
          '"generator" in the manifest (and independent of the CPU\'s SIMD level); a ' +
          'different torch/torchvision/onnx version is the likely cause. If the change ' +
          'is intended, rerun with --update-manifest and review models/README.md.'
        : m.source.converter
          ? ` The package's files were verified, so ${m.source.converter}'s output changed: ` +
            'its output is byte-deterministic for a given python3-onnx/numpy (see "generator"), ' +
            'so a different version is the likely cause. If intended, rerun with --update-manifest.'
          : ' The upstream package content changed; do not use it without review.'));
    }
    if (updateManifest) writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  }

  if (problems.length) {
    console.error(`models/prepare.mjs: ${problems.length} problem(s):\n  ` + problems.join('\n  '));
    process.exit(1);
  }
  const ms = (performance.now() - t0).toFixed(0);
  console.log(`models ok: ${models.length} models and data files, ${manifest.images.length} images verified (${ms} ms)`);
}

try {
  main();
} catch (err) {
  console.error(`models/prepare.mjs: ${err.message}`);
  process.exit(1);
}
