/** The machine a run measured on: cores, CPU, memory, and the load average (other work on it). */
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  loadavg: number[];
}

export const loadNow = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.versions.node,
    loadavg: loadNow(),
  };
}
