/** The operations refinement can run, with the words a user reads for them. */

export type RefineOperation =
  | { kind: 'rotate'; degrees: number }
  | { kind: 'flip'; axis: 'horizontal' | 'vertical' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'smooth-shapes'; strength: number }
  | { kind: 'bold-outline'; strength: number }
  | { kind: 'reduce-colors'; colors: number }
  | { kind: 'tint'; color: TintName }
  | { kind: 'hue-shift'; degrees: number }
  | { kind: 'saturation'; factor: number }
  | { kind: 'warmth'; amount: number }
  | { kind: 'grayscale' }
  | { kind: 'invert' }
  | { kind: 'lightness'; amount: number }
  | { kind: 'contrast'; factor: number }
  | { kind: 'round-corners'; radius: number };

export type RefineOperationKind = RefineOperation['kind'];

/** The operation of one kind, e.g. `OperationOf<'zoom'>` = `{ kind: 'zoom'; factor: number }`. */
export type OperationOf<K extends RefineOperationKind> = Extract<RefineOperation, { kind: K }>;

/** Colours a tint can aim at, with their HSL hue. */
export const TINT_HUES = { red: 0, orange: 30, yellow: 55, green: 120, teal: 180, blue: 220, purple: 280, pink: 330 } as const;
export type TintName = keyof typeof TINT_HUES;

/** An operation with the words a user reads for it (e.g. `much darker`, `rotated 90°`). */
export interface PlannedOperation {
  operation: RefineOperation;
  label: string;
}
