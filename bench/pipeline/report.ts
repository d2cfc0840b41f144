/** The figures against their goals (issue 14): a table for people, then one JSON line for tools. */
import type { ApiLoad } from './api-load.js';
import type { Concurrent, Sequential } from './generations.js';
import type { HistoryFigures, RunTimes } from './history.js';
import type { Machine } from './machine.js';
import type { ScaleOut } from './scale-out.js';
import { percentile, printTable, round, type Row } from './stats.js';

export interface Measured {
  quick: boolean;
  machine: Machine;
  loads: Record<string, number[]>;
  sequential: Sequential;
  /** Per P2 run, where its time went (from its history). */
  times: RunTimes[];
  history: HistoryFigures;
  concurrent: Concurrent;
  load: ApiLoad;
  scale: ScaleOut;
}

export const GOALS = {
  p2_ratio: 1.3,
  p2_p50_ms: 1500,
  p3_fraction: 0.75,
  p4_post_p99_ms: 50,
  p4_get_p99_ms: 20,
  p5_history_bytes: 64 * 1024,
  p6_rss_mb: 400,
} as const;

const ms = (v: number) => `${round(v)} ms`;
const perRun = (cpu: Record<string, number>, runs: number) => Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v / runs, 3)]));
const cpuText = (cpu: Record<string, number>) => Object.entries(cpu).map(([k, v]) => `${k} ${v} s`).join(' + ');
const unexpectedText = (u: Record<string, number>, unanswered: number) => {
  const parts = [...Object.entries(u).map(([k, n]) => `${n}× ${k}`), ...(unanswered ? [`${unanswered} unanswered`] : [])];
  return parts.length ? ` (${parts.join(', ')})` : '';
};

export function report(m: Measured): void {
  const { sequential: s, concurrent: c, load, history: h, scale } = m;
  const p50 = percentile(s.temporalMs, 50);
  const p95 = percentile(s.temporalMs, 95);
  const d50 = percentile(s.directMs, 50);
  const d95 = percentile(s.directMs, 95);
  const fraction = c.temporalPerS / c.directPerS;
  const rssMb = c.appPeakRssBytes === undefined ? null : c.appPeakRssBytes / 1024 ** 2;
  const scaled = 'ratio' in scale ? scale : undefined;
  const median = (pick: (t: RunTimes) => number) => round(percentile(m.times.map(pick), 50));
  const where = {
    post_to_start_ms: median((t) => t.postToStartMs),
    wall_ms: median((t) => t.wallMs),
    in_activities_ms: median((t) => t.inActivitiesMs),
    orchestration_ms: median((t) => t.orchestrationMs),
    schedule_to_start_ms: median((t) => t.meanScheduleToStartMs),
    workflow_task_ms: median((t) => t.meanWorkflowTaskMs),
    workflow_tasks: median((t) => t.workflowTasks),
  };

  const figures = {
    p2_ratio: round(p50 / d50, 3),
    p2_p50_ms: round(p50),
    p2_p95_ms: round(p95),
    p3_fraction: round(fraction, 3),
    p3_per_s: round(c.temporalPerS, 3),
    p4_post_p99_ms: round(load.post.p99Ms, 1),
    p4_get_p99_ms: round(load.get.p99Ms, 1),
    p5_history_bytes: h.protobufBytes,
    p5_max_payload_bytes: h.maxPayloadBytes,
    p6_rss_mb: rssMb === null ? null : round(rssMb, 1),
    scale_out_ratio: scaled ? round(scaled.ratio, 3) : null,
  };
  const details = {
    quick: m.quick,
    p2_runs: s.temporalMs.length,
    p2_direct_p50_ms: round(d50),
    p2_direct_p95_ms: round(d95),
    p2_breakdown_median: where,
    p2_cpu_s_per_run: { temporal: perRun(s.temporalCpu, s.temporalMs.length), direct: perRun(s.directCpu, s.directMs.length) },
    p3_runs: c.count,
    p3_direct_per_s: round(c.directPerS, 3),
    p3_wall_ms: c.temporalWallMs,
    p3_cpu_s: { temporal: c.temporalCpu, direct: c.directCpu },
    p3_direct_wall_ms: c.directWallMs,
    p4_seconds: load.seconds,
    p4_post_rate_per_s: round(load.post.ratePerS, 1),
    p4_get_rate_per_s: round(load.get.ratePerS, 1),
    p4_post_p50_ms: round(load.post.p50Ms, 1),
    p4_get_p50_ms: round(load.get.p50Ms, 1),
    p4_post_answered: load.post.requests,
    p4_post_unanswered: load.post.unanswered,
    p4_get_answered: load.get.requests,
    p4_get_unanswered: load.get.unanswered,
    p4_get_task_states: load.polledStates,
    p4_post_unexpected: load.post.unexpected,
    p4_get_unexpected: load.get.unexpected,
    p5_json_bytes: h.jsonBytes,
    p5_events: h.events,
    p5_image_bytes: h.imageBytes.length > 0,
    p6_rss_source: c.rssSource,
    p6_direct_rss_mb: c.directPeakRssBytes === undefined ? null : round(c.directPeakRssBytes / 1024 ** 2, 1),
    scale_out_batch: scaled?.batch ?? null,
    scale_out_1_worker_per_s: scaled ? round(scaled.oneWorkerPerS, 3) : null,
    scale_out_2_workers_per_s: scaled ? round(scaled.twoWorkersPerS, 3) : null,
    scale_out_skipped: 'skipped' in scale ? scale.skipped : null,
    machine: { cpus: m.machine.cpus, cpu: m.machine.cpuModel, memory_gb: m.machine.memoryGb, node: m.machine.node },
    loadavg: m.loads,
  };

  const rows: Row[] = [
    { figure: 'P2 sequential p50', temporal: ms(p50), direct: ms(d50), result: `ratio ${figures.p2_ratio}`, goal: `≤ ${GOALS.p2_ratio}`, met: figures.p2_ratio <= GOALS.p2_ratio },
    { figure: 'P2 p50 through the app', temporal: ms(p50), direct: '', result: ms(p50), goal: `≤ ${GOALS.p2_p50_ms} ms`, met: p50 <= GOALS.p2_p50_ms },
    { figure: 'P2 sequential p95', temporal: ms(p95), direct: ms(d95), result: `ratio ${round(p95 / d95, 3)}`, goal: '', met: null },
    {
      figure: `P3 ${c.count} at once`,
      temporal: `${figures.p3_per_s}/s`,
      direct: `${round(c.directPerS, 3)}/s`,
      result: `fraction ${figures.p3_fraction}`,
      goal: `≥ ${GOALS.p3_fraction}`,
      met: fraction >= GOALS.p3_fraction,
    },
    {
      figure: `P4 POST p99 (${load.post.targetRatePerS}/s target, ${round(load.post.ratePerS)}/s answered)`,
      temporal: `p50 ${round(load.post.p50Ms, 1)} ms`,
      direct: '',
      result: `${figures.p4_post_p99_ms} ms${unexpectedText(load.post.unexpected, load.post.unanswered)}`,
      goal: `≤ ${GOALS.p4_post_p99_ms} ms`,
      met: load.post.p99Ms <= GOALS.p4_post_p99_ms && Object.keys(load.post.unexpected).length === 0 && load.post.unanswered === 0,
    },
    {
      figure: `P4 GET p99 (${load.get.targetRatePerS}/s target, ${round(load.get.ratePerS)}/s answered)`,
      temporal: `p50 ${round(load.get.p50Ms, 1)} ms`,
      direct: '',
      result: `${figures.p4_get_p99_ms} ms${unexpectedText(load.get.unexpected, load.get.unanswered)}`,
      goal: `≤ ${GOALS.p4_get_p99_ms} ms`,
      met: load.get.p99Ms <= GOALS.p4_get_p99_ms && Object.keys(load.get.unexpected).length === 0 && load.get.unanswered === 0,
    },
    {
      figure: 'P5 history',
      temporal: `${h.events} events`,
      direct: '',
      result: `${h.protobufBytes} B; max payload ${h.maxPayloadBytes} B; ${h.imageBytes.length ? `IMAGE BYTES: ${h.imageBytes.join(', ')}` : 'no image bytes'}`,
      goal: `≤ ${GOALS.p5_history_bytes} B, no images`,
      met: h.protobufBytes <= GOALS.p5_history_bytes && h.imageBytes.length === 0,
    },
    {
      figure: 'P6 app peak RSS in P3',
      temporal: figures.p6_rss_mb === null ? 'n/a' : `${figures.p6_rss_mb} MB`,
      direct: c.directPeakRssBytes === undefined ? '' : `${round(c.directPeakRssBytes / 1024 ** 2, 1)} MB`,
      result: c.rssSource,
      goal: `≤ ${GOALS.p6_rss_mb} MB`,
      met: rssMb === null ? null : rssMb <= GOALS.p6_rss_mb,
    },
    scaled
      ? {
          figure: `scale-out (batch ${scaled.batch})`,
          temporal: `2 workers ${round(scaled.twoWorkersPerS, 3)}/s`,
          direct: `1 worker ${round(scaled.oneWorkerPerS, 3)}/s`,
          result: `ratio ${figures.scale_out_ratio}`,
          goal: 'report',
          met: null,
        }
      : { figure: 'scale-out', temporal: '', direct: '', result: `skipped: ${'skipped' in scale ? scale.skipped : ''}`, goal: 'report', met: null },
  ];
  console.log('');
  printTable(rows);
  console.log(
    `\nP2 through Temporal, medians per run: POST → workflow started ${where.post_to_start_ms} ms; started → completed ${where.wall_ms} ms, ` +
      `of which activities running ${where.in_activities_ms} ms and orchestration ${where.orchestration_ms} ms ` +
      `(${where.workflow_tasks} workflow tasks of ${where.workflow_task_ms} ms mean, activity schedule → start ${where.schedule_to_start_ms} ms mean)`,
  );
  console.log(
    `CPU per P2 run: through the app ${cpuText(details.p2_cpu_s_per_run.temporal)}; direct ${cpuText(details.p2_cpu_s_per_run.direct)}. ` +
      `P3 batch: through the app ${cpuText(c.temporalCpu)}; direct ${cpuText(c.directCpu)}`,
  );
  console.log(`\nload average (1, 5, 15 min): ${Object.entries(m.loads).map(([k, v]) => `${k} ${v.join(' ')}`).join(' | ')} on ${m.machine.cpus} cores`);
  const missed = rows.filter((r) => r.met === false).map((r) => r.figure);
  console.log(missed.length ? `goals missed: ${missed.join('; ')}` : 'all goals met');
  console.log(JSON.stringify({ ...figures, ...details }));
}
