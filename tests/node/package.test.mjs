// The published package, as a user gets it: `npm pack`, unpacked into a fresh project's
// node_modules (its two dependencies linked from this checkout), then used from outside the
// repository through `import`, `require` (Node >= 20.19 loads ES modules synchronously) and
// the `litecnn` bin. Catches files missing from package.json's "files" and a broken exports map.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { importCycles, moduleGraph } from '../../scripts/module_graph.mjs';
import { REPO_ROOT } from './model_helpers.mjs';
import { installPackedPackage } from './package_helpers.mjs';
import { reluModel } from './onnx_encode.mjs';

let project;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'litecnn-pkg-'));
  const paths = installPackedPackage(project);
  // Only what runs is published.
  assert.ok(paths.includes('web/dist/litecnn.wasm') && paths.includes('web/src/index.d.ts'), paths.join(' '));
  for (const p of paths) assert.match(p, /^(web\/(src|dist)\/|web\/cli\.js$|package\.json$|README\.md$|LICENSE)/, p);
  writeFileSync(join(project, 'relu.onnx'), reluModel());
});

after(() => rmSync(project, { recursive: true, force: true }));

const RUN = `
  const model = await loadModel('relu.onnx');
  const out = await model.run({ X: new Tensor(Float32Array.from([-1, 2, -3, 4, 0, -5]), [2, 3]) });
  model.dispose();
  console.log(JSON.stringify(Array.from(out.Y.data)));`;

function runIn(file, source) {
  writeFileSync(join(project, file), source);
  return execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' }).trim();
}

test('import from an ES module', () => {
  const out = runIn('esm.mjs', `import { loadModel, Tensor } from 'litecnn';\n${RUN}\n`);
  assert.deepEqual(JSON.parse(out), [0, 2, 0, 4, 0, 0]);
});

test('require from CommonJS', () => {
  const out = runIn('cjs.cjs', `const { loadModel, Tensor } = require('litecnn');\n(async () => {${RUN}\n})();\n`);
  assert.deepEqual(JSON.parse(out), [0, 2, 0, 4, 0, 0]);
});

test('the litecnn bin prints its usage', () => {
  const out = execFileSync(process.execPath, [join(project, 'node_modules/litecnn/web/cli.js'), '--help'], {
    cwd: project, encoding: 'utf8',
  });
  assert.match(out, /usage: litecnn run/);
});

test('the browser export reaches no node: module; the node export adds the file system', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const entry = pkg.exports['.'];
  assert.equal(entry.browser, './web/src/index.js');
  assert.equal(entry.node, './web/src/node.js');
  assert.equal(entry.default, './web/src/index.js');
  assert.ok(Object.keys(entry).indexOf('browser') < Object.keys(entry).indexOf('node'),
    'bundlers that set both conditions must pick the browser entry');
  // Every module the browser entry imports, statically or dynamically, followed through web/.
  const graph = moduleGraph(REPO_ROOT, 'web/src/index.js');
  for (const { file, specifiers } of graph) {
    for (const s of specifiers) assert.doesNotMatch(s, /^node:|^(fs|path|url|os|child_process)(\/|$)/, `${file} imports ${s}`);
  }
  assert.deepEqual(graph.map((m) => m.file).sort(), [
    'web/src/backend.js', 'web/src/errors.js', 'web/src/image.js', 'web/src/index.js',
    'web/src/model.js', 'web/src/onnx_split.js', 'web/src/platform.js', 'web/src/sources.js', 'web/src/tensor.js',
  ]);
  assert.match(readFileSync(join(REPO_ROOT, 'web/src/node.js'), 'utf8'), /from 'node:fs\/promises'/);
});

test('no module of web/src imports itself back through others (no import cycle)', () => {
  const entries = readdirSync(join(REPO_ROOT, 'web/src')).filter((f) => f.endsWith('.js')).map((f) => `web/src/${f}`);
  assert.ok(entries.length >= 9, `web/src has ${entries.length} modules`);
  assert.deepEqual(importCycles(REPO_ROOT, [...entries, 'web/cli.js', 'web/demo/demo.js', 'web/demo/worker.js']), []);
});

test('the import-cycle check finds a cycle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'litecnn-cycle-'));
  writeFileSync(join(dir, 'a.js'), "import { b } from './b.js';\nexport const a = 1;\n");
  writeFileSync(join(dir, 'b.js'), "import { c } from './c.js';\nexport const b = 2;\n");
  writeFileSync(join(dir, 'c.js'), "export { a } from './a.js';\nexport const c = 3;\n");
  try {
    assert.deepEqual(importCycles(dir, ['a.js']), [['a.js', 'b.js', 'c.js', 'a.js']]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('the litecnn/blazeface entry point resolves, with its types', () => {
  const out = runIn('blazeface.mjs', `import { blazefaceAnchors, detectFaces } from 'litecnn/blazeface';
    import { readFileSync } from 'node:fs';
    const pkg = JSON.parse(readFileSync('node_modules/litecnn/package.json', 'utf8'));
    readFileSync('node_modules/litecnn/' + pkg.exports['./blazeface'].types);
    console.log(blazefaceAnchors().length, typeof detectFaces);\n`);
  assert.equal(out, '1792 function');
});
