/**
 * `--profile`: the app runs under `node --cpu-prof`; after it stops, the profile's self time is
 * summed per function and per area (imaging, persistence, Temporal SDK, PGlite, …) and printed, so
 * a missed goal points at its cost. The .cpuprofile stays in the work folder (kept with --keep)
 * for Chrome DevTools.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export const profileArgs = (dir: string): string[] => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  const src = /\/src\/([^/]+)/.exec(path);
  if (src) return `src/${src[1]}`;
  return path.startsWith('node:') ? 'node internals' : path;
}

export function summarizeProfiles(dir: string, top = 12): string {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return 'no profile written';
  }
  const lines: string[] = [];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const totalUs = profile.endTime - profile.startTime;
    const areas = new Map<string, number>();
    const functions = new Map<string, number>();
    for (const [id, us] of selfUs) {
      const frame = byId.get(id)!.callFrame;
      const area = areaOf(frame.url, frame.functionName);
      areas.set(area, (areas.get(area) ?? 0) + us);
      const fn = `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}` : ''}`;
      functions.set(fn, (functions.get(fn) ?? 0) + us);
    }
    const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
    const topOf = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
    lines.push(`${file}: ${(totalUs / 1e6).toFixed(1)} s of main-thread time`);
    lines.push('  by area (self time):');
    for (const [area, us] of topOf(areas)) lines.push(`    ${pct(us)}  ${area}`);
    lines.push('  by function (self time):');
    for (const [fn, us] of topOf(functions)) lines.push(`    ${pct(us)}  ${fn}`);
  }
  return lines.join('\n');
}
