/** The counts of each drill: the full profile is the contract; `--quick` runs the same drills smaller (CI). */
export interface Profile {
  name: 'full' | 'quick';
  r1: { generations: number; kills: number };
  r2: { runs: number; restarts: number };
  r3: { runs: number };
  r4: { requests: number };
  r5: { concurrent: number };
  r6: { runs: number };
  r7: { runs: number; readOnlyMs: number };
  /** Upper bound of one drill, start-ups included. */
  drillTimeoutMs: number;
}

export const FULL: Profile = {
  name: 'full',
  r1: { generations: 30, kills: 10 },
  r2: { runs: 10, restarts: 2 },
  r3: { runs: 20 },
  r4: { requests: 2000 },
  r5: { concurrent: 50 },
  r6: { runs: 20 },
  r7: { runs: 10, readOnlyMs: 5_000 },
  drillTimeoutMs: 20 * 60_000,
};

export const QUICK: Profile = {
  name: 'quick',
  r1: { generations: 6, kills: 2 },
  r2: { runs: 4, restarts: 2 },
  r3: { runs: 5 },
  r4: { requests: 300 },
  r5: { concurrent: 20 },
  r6: { runs: 6 },
  r7: { runs: 4, readOnlyMs: 5_000 },
  drillTimeoutMs: 5 * 60_000,
};
