// Small statistics helpers shared by the bench scripts (median and percentile are the package's,
// web/src/stats.js, so that the bench, the CLI and the demo agree on them).

import { median, percentile } from '../web/src/stats.js';

export { median, percentile };

export function summarize(xs) {
  return { median_ms: median(xs), p90_ms: percentile(xs, 90), min_ms: Math.min(...xs),
    max_ms: Math.max(...xs), runs: xs.length };
}

/**
 * Warm-up rounds until both at least `runs` rounds and `ms` milliseconds have passed. V8 runs wasm
 * in its baseline tier first and swaps in optimized code between calls, compiling in the
 * background on the same two cores: MobileNetV3-small took ~100 runs (0.6 s of its own time)
 * to settle here, 6.1 -> 4.3 ms at 1 thread, so a fixed 5-run warm-up timed the tier-up.
 */
export async function warmUp(round, runs, ms) {
  const t0 = performance.now();
  for (let k = 0; k < runs || performance.now() - t0 < ms; k++) await round();
}
