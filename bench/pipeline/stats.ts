/** Percentiles, rounding and the printed table. */

/** The p-th percentile (0–100) by nearest rank over the sorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const round = (value: number, digits = 0): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export interface Row {
  figure: string;
  temporal: string;
  direct: string;
  result: string;
  goal: string;
  met: boolean | null;
}

export function printTable(rows: Row[]): void {
  const headers: Row = { figure: 'figure', temporal: 'through the app', direct: 'direct / baseline', result: 'result', goal: 'goal', met: null };
  const cells = (r: Row) => [r.figure, r.temporal, r.direct, r.result, r.goal, r.met === null ? '' : r.met ? 'met' : 'MISSED'];
  const all = [headers, ...rows].map(cells);
  const widths = all[0]!.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
  console.log(line(all[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}
