// The published package as a user installs it: `npm pack`, unpacked into <project>/node_modules
// with its dependencies linked from this checkout. Shared by the package and Vite tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './model_helpers.mjs';

/** Packs the repo into `project`'s node_modules/litecnn; returns the tarball's file list. */
export function installPackedPackage(project) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [{ filename, files }] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', project], {
    cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }));
  const modules = join(project, 'node_modules');
  mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, filename), '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'litecnn'));
  for (const dep of ['pngjs', 'jpeg-js']) symlinkSync(join(REPO_ROOT, 'node_modules', dep), join(modules, dep));
  return files.map((f) => f.path).sort();
}
