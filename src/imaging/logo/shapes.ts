/** Container shapes for emblems (circle, shield, hexagon, rounded square, diamond) as SVG elements. */

export type ContainerShape = 'circle' | 'shield' | 'hexagon' | 'rounded-square' | 'diamond';

export const CONTAINER_SHAPES: readonly ContainerShape[] = ['circle', 'shield', 'hexagon', 'rounded-square', 'diamond'];

export interface Box {
  cx: number;
  cy: number;
  /** Width and height of the square the shape fills. */
  size: number;
}

const n = (v: number) => Number(v.toFixed(2));

/** A closed path through `points` with each corner rounded by a quadratic curve of `radius`. */
export function roundedPolygonPath(points: [number, number][], radius: number): string {
  const parts: string[] = [];
  points.forEach((p, i) => {
    const prev = points[(i + points.length - 1) % points.length]!;
    const next = points[(i + 1) % points.length]!;
    const towards = (q: [number, number]) => {
      const dx = q[0] - p[0];
      const dy = q[1] - p[1];
      const len = Math.hypot(dx, dy);
      const r = Math.min(radius, len / 2);
      return [p[0] + (dx / len) * r, p[1] + (dy / len) * r] as const;
    };
    const a = towards(prev);
    const b = towards(next);
    parts.push(`${i === 0 ? 'M' : 'L'}${n(a[0])} ${n(a[1])} Q${n(p[0])} ${n(p[1])} ${n(b[0])} ${n(b[1])}`);
  });
  return `${parts.join(' ')} Z`;
}

function regularPolygon(box: Box, sides: number, rotationDeg: number): [number, number][] {
  const r = box.size / 2;
  return Array.from({ length: sides }, (_, i) => {
    const a = ((rotationDeg + (360 / sides) * i) * Math.PI) / 180;
    return [box.cx + r * Math.cos(a), box.cy + r * Math.sin(a)] as [number, number];
  });
}

function shieldPath({ cx, cy, size }: Box): string {
  const w = size * 0.86;
  const top = cy - size / 2;
  const h = size;
  const left = cx - w / 2;
  const right = cx + w / 2;
  const r = size * 0.08;
  return (
    `M${n(left)} ${n(top + r)} Q${n(left)} ${n(top)} ${n(left + r)} ${n(top)} H${n(right - r)} Q${n(right)} ${n(top)} ${n(right)} ${n(top + r)} ` +
    `V${n(top + h * 0.46)} C${n(right)} ${n(top + h * 0.76)} ${n(cx + w * 0.2)} ${n(top + h * 0.92)} ${n(cx)} ${n(top + h)} ` +
    `C${n(cx - w * 0.2)} ${n(top + h * 0.92)} ${n(left)} ${n(top + h * 0.76)} ${n(left)} ${n(top + h * 0.46)} Z`
  );
}

/** The shape as one SVG element with the given extra attributes (fill, stroke…). */
export function shapeElement(shape: ContainerShape, box: Box, attributes: string): string {
  switch (shape) {
    case 'circle':
      return `<circle cx="${n(box.cx)}" cy="${n(box.cy)}" r="${n(box.size / 2)}" ${attributes}/>`;
    case 'rounded-square': {
      const s = box.size * 0.9;
      return `<rect x="${n(box.cx - s / 2)}" y="${n(box.cy - s / 2)}" width="${n(s)}" height="${n(s)}" rx="${n(s * 0.24)}" ${attributes}/>`;
    }
    case 'hexagon':
      return `<path d="${roundedPolygonPath(regularPolygon(box, 6, -90), box.size * 0.09)}" ${attributes}/>`;
    case 'diamond':
      return `<path d="${roundedPolygonPath(regularPolygon(box, 4, -90), box.size * 0.12)}" ${attributes}/>`;
    case 'shield':
      return `<path d="${shieldPath(box)}" ${attributes}/>`;
  }
}

/** Where content sits inside the shape: its visual centre and the largest comfortable square. */
export function contentBox(shape: ContainerShape, box: Box): Box {
  switch (shape) {
    case 'shield':
      return { cx: box.cx, cy: box.cy - box.size * 0.06, size: box.size * 0.54 };
    case 'diamond':
      return { cx: box.cx, cy: box.cy, size: box.size * 0.48 };
    case 'hexagon':
      return { cx: box.cx, cy: box.cy, size: box.size * 0.58 };
    default:
      return { cx: box.cx, cy: box.cy, size: box.size * 0.6 };
  }
}
