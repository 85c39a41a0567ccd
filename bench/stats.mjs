// Small statistics helpers shared by the bench scripts.

/** Median (lower middle for even counts: a value that was actually measured). */
export function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** Nearest-rank percentile, p in (0, 100]. */
export function percentile(xs, p) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function summarize(xs) {
  return { median_ms: median(xs), p90_ms: percentile(xs, 90), min_ms: Math.min(...xs),
    max_ms: Math.max(...xs), runs: xs.length };
}
