/** Human units for counters and rates: 1234567 -> "1.23M". */
const UNITS = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

export function human(n: number | bigint): string {
  let v = Number(n);
  if (!Number.isFinite(v)) return '-';
  let u = 0;
  while (Math.abs(v) >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  if (u === 0) return String(Math.round(v));
  return `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)}${UNITS[u]}`;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}
