// Renders bench results (the JSON written by bench/run.mjs) as a markdown report and an SVG
// chart of the ratios. No chart library: the SVG is written by hand.

const f1 = (v) => (v == null ? '-' : v.toFixed(1));
const f2 = (v) => (v == null ? '-' : v.toFixed(2));
const mb = (v) => (v == null ? '-' : (v / 2 ** 20).toFixed(1));

export const TARGET_LINES = [0.5, 0.75];
const SHORT = { mobilenet_v2: 'mnv2', squeezenet1_0: 'sq1.0', squeezenet1_1: 'sq1.1' };

export function markdownReport(r) {
  const L = [];
  L.push(`# litecnn benchmark: ${r.date} on ${r.host.hostname}${r.quick ? ' (QUICK mode: too few runs to mean anything)' : ''}`);
  L.push('');
  L.push(`- CPU: ${r.host.cpu_model} (${r.host.cpu_count} logical), ${r.host.platform}; Node ${r.host.node}`);
  L.push(`- litecnn ${r.versions.litecnn}; onnxruntime-web ${r.versions.ort} (wasm EP, numThreads=1); ` +
    `${r.versions.tfjs} (${r.versions.tfjs_wasm_file}, ${r.versions.tfjs_threads} thread)`);
  L.push(`- git: ${r.git ?? '-'}; load average at start: ${r.host.loadavg_start.map(f2).join(' ')}, at end: ${(r.host.loadavg_end ?? []).map(f2).join(' ')}`);
  L.push(`- timing: ${r.settings.warmup} warm-up rounds (and >= ${r.settings.warmup_ms ?? 0} ms of them) + ${r.settings.runs} timed runs per runtime, interleaved ` +
    `(litecnn, ORT, TF.js, litecnn, ...); a run = input copy in + inference + outputs copied out`);
  if (r.peak?.gflops_best) {
    L.push(`- machine peak (f32x4 mul+add, 1 thread): **${f1(r.peak.gflops_best)} GFLOP/s** best, ${f1(r.peak.gflops_median)} median`);
  } else if (r.peak?.error) {
    L.push(`- machine peak: not measured (${r.peak.error})`);
  }
  L.push('');
  L.push('## Latency (ms, lower is better) and ratios (< 1: litecnn faster)');
  L.push('');
  L.push('| model | litecnn median / p90 | ORT median / p90 | TF.js median / p90 | litecnn/ORT | litecnn/TF.js | TF.js vs ORT | litecnn vs ORT |');
  L.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const m of r.models) {
    const cell = (rt) => {
      const t = m.timing[rt];
      if (!t) return m.errors?.[rt] ? `error` : '-';
      return `${f1(t.median_ms)} / ${f1(t.p90_ms)}`;
    };
    const checkText = (rt) => {
      const c = m.checks?.[rt];
      if (c) return `${c.ok ? 'ok' : 'FAIL'} (rel ${c.relative.toExponential(1)})`;
      return m.errors?.[rt] ? `skipped: ${m.errors[rt]}` : '-';
    };
    L.push(`| ${m.model} | ${cell('litecnn')} | ${cell('ort')} | ${cell('tfjs')} | ${f2(m.ratios.litecnn_over_ort)} | ` +
      `${f2(m.ratios.litecnn_over_tfjs)} | ${checkText('tfjs')} | ${checkText('litecnn')} |`);
  }
  const errs = r.models.flatMap((m) => Object.entries(m.errors ?? {}).map(([rt, e]) => `- ${m.model} / ${rt}: ${e}`));
  if (errs.length) L.push('', 'Errors:', '', ...errs);

  const threadRuns = (r.threads ?? []).filter((t) => !t.error);
  if (threadRuns.length) {
    const at = (t) => threadRuns.find((x) => x.threads === t);
    const one = at(1);
    const two = at(2);
    L.push('');
    L.push('## Threads: 1 vs 2 (median ms; one child process per thread count)');
    L.push('');
    L.push(`litecnn: the ${two?.build ?? one?.build} build, a pool of N threads, loadModel numThreads N. ` +
      `ORT: ort.env.wasm.numThreads = N. The runtimes alternate in blocks of ${two?.block ?? one?.block ?? '?'} runs timed back to back (ORT's threads spin ` +
      'after a run), so both pools\' threads are awake when a run starts and both sample the machine\'s speed phases. TF.js: cannot thread in Node (its wasm backend reports no ' +
      'multithread support under Node), so it has no 2-thread column. "interleaved": litecnn at 1 and 2 threads in ' +
      'the 2-thread process, their runs alternating (immune to the machine\'s drift between processes; each 2-thread run ' +
      'then starts with the pool\'s worker asleep, as in an app that runs a model every frame: waking it costs ~0.4 ms ' +
      'here). Targets: litecnn ' +
      '2 threads >= 1.7x its 1-thread speed (MobileNetV2, SqueezeNet); litecnn <= 0.5x ORT at 2 threads.');
    L.push('');
    L.push('| model | litecnn 1t | litecnn 2t | litecnn speed-up | speed-up, interleaved | ORT 1t | ORT 2t | ORT speed-up | litecnn/ORT 1t | litecnn/ORT 2t | TF.js 2t |');
    L.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const m of (two ?? one).models) {
      const a = one?.models.find((x) => x.model === m.model)?.timing;
      const b = two?.models.find((x) => x.model === m.model)?.timing;
      const med = (t, rt) => t?.[rt]?.median_ms ?? null;
      const ratio = (x, y) => (x != null && y != null ? x / y : null);
      L.push(`| ${m.model} | ${f1(med(a, 'litecnn'))} | ${f1(med(b, 'litecnn'))} | ${f2(ratio(med(a, 'litecnn'), med(b, 'litecnn')))}x | ` +
        `${f2(ratio(med(b, 'litecnn_1t'), med(b, 'litecnn_interleaved') ?? med(b, 'litecnn')))}x | ` +
        `${f1(med(a, 'ort'))} | ${f1(med(b, 'ort'))} | ${f2(ratio(med(a, 'ort'), med(b, 'ort')))}x | ` +
        `${f2(ratio(med(a, 'litecnn'), med(a, 'ort')))} | ${f2(ratio(med(b, 'litecnn'), med(b, 'ort')))} | cannot thread in Node |`);
    }
  }
  for (const t of (r.threads ?? []).filter((x) => x.error)) L.push('', `Threads child (${t.threads} threads) failed: ${t.error}`);

  if (r.cold?.length) {
    L.push('');
    L.push('## Cold start and memory (each runtime alone in a fresh process)');
    L.push('');
    L.push('init = import + wasm instantiation; load = session creation / model load / TF.js graph build incl. weight upload; ' +
      'first run includes XNNPACK operator creation for TF.js. RSS peak is the whole Node process (Node itself is ~40 MB); ' +
      'wasm = WebAssembly.Memory size after the runs (never shrinks, so the peak).');
    L.push('');
    L.push('Cold start = init + load (the JS API issue\'s target for litecnn with MobileNetV2: <= 100 ms).' +
      (r.cold_starts ?? []).map((c) => ` litecnn ${c.model}, ${c.backend} build, median of ${c.samples.length} fresh processes: ` +
        `**${f1(c.total_ms)} ms** (init ${f1(c.init_ms)} + load ${f1(c.load_ms)}; ` +
        `samples ${c.samples.map((x) => f1(x.total_ms)).join(', ')}).`).join(''));
    L.push('');
    L.push('| model | runtime | init ms | load ms | cold start ms | first run ms | RSS peak MB | RSS start MB | wasm memory MB |');
    L.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const c of r.cold) {
      if (c.error) {
        L.push(`| ${c.model} | ${c.runtime} | error: ${c.error.split('\n')[0].slice(0, 80)} | | | | | | |`);
        continue;
      }
      L.push(`| ${c.model} | ${c.runtime} | ${f1(c.init_ms)} | ${f1(c.load_ms)} | ${f1(c.init_ms + c.load_ms)} | ${f1(c.first_run_ms)} | ` +
        `${mb(c.rss_peak)} | ${mb(c.rss_start)} | ${mb(c.wasm_memory_bytes)} |`);
    }
  }

  if (r.kernels?.rows?.length) {
    L.push('');
    L.push('## Per-kernel GFLOP/s (MobileNetV2 and SqueezeNet layer shapes, bench/shapes.mjs)');
    L.push('');
    L.push(`litecnn: the Conv node's time in model.profile() of a one-Conv model, and the microkernel it ran. ` +
      `ORT: the same model via session.run (raw, and with the JS-side input/output copy subtracted). ` +
      `TF.js: tf.fused.conv2d / depthwiseConv2d on a tensor already in the wasm heap. ` +
      `Peak: ${r.peak?.gflops_best ? `${f1(r.peak.gflops_best)} GFLOP/s` : '-'}.`);
    L.push('');
    L.push('| shape | kind | MFLOP | used by | ORT GFLOP/s (io-adj) | TF.js GFLOP/s | litecnn GFLOP/s | litecnn kernel |');
    L.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const k of r.kernels.rows) {
      const used = Object.entries(k.models).map(([m, n]) => `${SHORT[m] ?? m}×${n}`).join(' ');
      L.push(`| ${k.id} | ${k.kind} | ${f1(k.mflop)} | ${used} | ${f2(k.ort.gflops)} (${f2(k.ort.gflops_io_adjusted)}) | ` +
        `${f2(k.tfjs.gflops)} | ${f2(k.litecnn?.gflops)} | ${k.litecnn?.kernel ?? '-'} |`);
    }
  }
  if (r.warnings?.length) L.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`));
  L.push('');
  return L.join('\n');
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Bar chart of litecnn/ORT and litecnn/TF.js per model, log scale, bars diverging from 1.0. */
export function ratioSvg(r) {
  const models = r.models;
  const W = Math.max(640, 120 + models.length * 110);
  const H = 420;
  const left = 70;
  const right = 20;
  const top = 50;
  const bottom = 80;
  const values = models.flatMap((m) => [m.ratios.litecnn_over_ort, m.ratios.litecnn_over_tfjs]).filter((v) => v > 0);
  const lo = Math.min(0.25, ...values.map((v) => v / 1.2));
  const hi = Math.max(2, ...values.map((v) => v * 1.2));
  const y = (v) => top + (H - top - bottom) * (1 - (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)));
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">` +
    `${esc(`litecnn latency / peer latency (lower is better) — ${r.date}, ${r.host.hostname}${r.quick ? ', QUICK' : ''}`)}</text>`);
  out.push(`<text x="${W / 2}" y="38" text-anchor="middle" fill="#555">${esc(`median of ${r.settings.runs} runs; log scale; bars start at 1.0`)}</text>`);
  // Grid and ticks.
  const ticks = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200].filter((t) => t >= lo && t <= hi);
  for (const t of ticks) {
    out.push(`<line x1="${left}" x2="${W - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="#999"/>`);
  // Reference lines.
  out.push(`<line x1="${left}" x2="${W - right}" y1="${y(1).toFixed(1)}" y2="${y(1).toFixed(1)}" stroke="black" stroke-width="1.5"/>`);
  out.push(`<text x="${W - right - 2}" y="${(y(1) - 4).toFixed(1)}" text-anchor="end">1.0 (parity)</text>`);
  for (const t of TARGET_LINES) {
    out.push(`<line x1="${left}" x2="${W - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#2a7" stroke-dasharray="6,4" stroke-width="1.5"/>`);
    out.push(`<text x="${W - right - 2}" y="${(y(t) - 4).toFixed(1)}" text-anchor="end" fill="#2a7">target ${t}</text>`);
  }
  // Bars.
  const series = [['litecnn_over_ort', 'litecnn / ORT-web', '#3b6fb6'], ['litecnn_over_tfjs', 'litecnn / TF.js-wasm', '#e08a2c']];
  const groupW = (W - left - right) / Math.max(1, models.length);
  const barW = Math.min(34, groupW / 3);
  models.forEach((m, i) => {
    const cx = left + groupW * (i + 0.5);
    series.forEach(([key, , color], j) => {
      const v = m.ratios[key];
      const x = cx + (j - 1) * barW + (j === 0 ? -2 : 2);
      if (!(v > 0)) {
        out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y(1) - 6).toFixed(1)}" text-anchor="middle" fill="#999">n/a</text>`);
        return;
      }
      const y0 = Math.min(y(1), y(v));
      const h = Math.max(1, Math.abs(y(v) - y(1)));
      out.push(`<rect x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"/>`);
      const ly = v >= 1 ? y(v) - 4 : y(v) + 13;
      out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="middle" font-size="11">${v >= 10 ? v.toFixed(0) : v.toFixed(2)}</text>`);
    });
    out.push(`<text x="${cx.toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle" font-size="11">${esc(m.model)}</text>`);
  });
  // Legend.
  series.forEach(([, label, color], j) => {
    const lx = left + 10 + j * 190;
    out.push(`<rect x="${lx}" y="${H - 30}" width="14" height="14" fill="${color}"/>`);
    out.push(`<text x="${lx + 20}" y="${H - 19}">${esc(label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

// `node bench/report.mjs results/X.json`: re-renders X.md and X.svg from a results file.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const file = process.argv[2];
  if (!file?.endsWith('.json')) throw new Error('usage: node bench/report.mjs <results .json>');
  const r = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file.replace(/\.json$/, '.md'), markdownReport(r));
  writeFileSync(file.replace(/\.json$/, '.svg'), ratioSvg(r));
  console.log(markdownReport(r));
}
