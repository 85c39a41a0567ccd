// Per-node profile of litecnn on one model: `node bench/profile.mjs [model] [--runs N]`.
// Prints time per op type and the slowest nodes (median over runs after a warm-up), which is
// how the benchmark notes say what limits a model.
import { loadModel, Tensor } from '../web/src/node.js';
import { loadManifest, readModelBytes } from '../tests/node/model_helpers.mjs';
import { median } from './stats.mjs';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--')) ?? 'mobilenet_v2';
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 20;

const entry = loadManifest().models.find((m) => m.name === name);
if (!entry) throw new Error(`unknown model ${name}`);
const model = await loadModel(readModelBytes(entry));
const input = model.inputs[0];
const count = input.dims.reduce((a, b) => a * b, 1);
const data = Float32Array.from({ length: count }, (_, i) => Math.sin(i) * 0.5);
const feeds = { [input.name]: new Tensor(data, input.dims) };

for (let i = 0; i < 5; ++i) await model.run(feeds);  // warm-up: let V8 tier up the kernels
const samples = [];
for (let i = 0; i < runs; ++i) samples.push((await model.profile(feeds)).layers);

const layers = samples[0].map((l, i) => ({ ...l, ms: median(samples.map((s) => s[i].ms)) }));
const total = layers.reduce((a, l) => a + l.ms, 0);
// Grouped by op and microkernel: e.g. pointwise vs depthwise Conv.
const byOp = new Map();
for (const l of layers) {
  const key = l.kernel ? `${l.op} (${l.kernel})` : l.op;
  const e = byOp.get(key) ?? { ms: 0, count: 0 };
  e.ms += l.ms;
  e.count += 1;
  byOp.set(key, e);
}
console.log(`${name}: ${total.toFixed(2)} ms summed over ${layers.length} nodes (median of ${runs})`);
console.log('| op | nodes | ms | share |\n| --- | --- | --- | --- |');
for (const [op, e] of [...byOp].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`| ${op} | ${e.count} | ${e.ms.toFixed(2)} | ${((100 * e.ms) / total).toFixed(1)}% |`);
}
console.log('\nslowest nodes:');
for (const l of [...layers].sort((a, b) => b.ms - a.ms).slice(0, 12)) {
  console.log(`  ${l.ms.toFixed(3)} ms  ${l.op}  ${l.name}  ${l.kernel ?? ''}`);
}
model.dispose();
