// Timing statistics, one definition for the CLI, the demo and the bench scripts.

/** Median: the lower middle for an even count (a value that was actually measured); null if empty. */
export function median(xs) {
  return percentile(xs, 50);
}

/** Nearest-rank percentile of an unsorted array, p in (0, 100]; null if empty. */
export function percentile(xs, p) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
