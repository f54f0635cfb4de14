import type { StridedSliceAttrs } from '../ir/attrs.js';
import type { Shape } from '../ir/graph.js';

/** StridedSliceOptions as the file states them. */
export interface StridedSliceMasks {
  readonly beginMask: number;
  readonly endMask: number;
  readonly ellipsisMask: number;
  readonly newAxisMask: number;
  readonly shrinkAxisMask: number;
}

/** One axis of TFLite's "effective" input: a real input axis, or a unit axis a new-axis bit adds. */
interface EffectiveAxis {
  readonly size: number;
  /** The input axis it reads, or undefined for an added axis. */
  readonly inputAxis?: number;
  readonly begin: number;
  readonly end: number;
  readonly stride: number;
  readonly beginMask: boolean;
  readonly endMask: boolean;
  readonly shrink: boolean;
}

/**
 * Resolves a STRIDED_SLICE the way TFLite's kernel does (BuildStridedSliceParams, then
 * StridedSliceStartForAxis / EndForAxis): the ellipsis expands to the axes the spec leaves
 * out, a new-axis bit adds a unit axis (ignored where the ellipsis bit is set too), spec
 * entries past the end take whole axes; then per axis a negative begin or end counts from the
 * end, both are clamped to [0, dim] (positive stride) or [-1, dim - 1] (negative), a mask
 * bit takes the fullest range, and a shrunk axis takes begin alone and disappears from the
 * output. Returns a reason string for what TFLite refuses. (`offset`, end relative to begin,
 * is refused by the op table.)
 */
export function resolveStridedSlice(
  input: Shape,
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  masks: StridedSliceMasks,
): StridedSliceAttrs | string {
  const count = begin.length;
  if (end.length !== count || strides.length !== count) return `begin, end and strides have ${count}, ${end.length} and ${strides.length} entries`;
  if (strides.some((s) => s === 0)) return 'a stride is 0';
  const bit = (mask: number, i: number): boolean => (mask & (1 << i)) !== 0;
  if ([...Array(count).keys()].filter((i) => bit(masks.ellipsisMask, i)).length > 1) return 'more than one ellipsis bit';
  // A new-axis bit where the ellipsis bit is set too has no effect.
  const added = [...Array(count).keys()].filter((i) => bit(masks.newAxisMask, i) && !bit(masks.ellipsisMask, i)).length;
  const rank = input.length + added;
  if (rank > 5) return `${rank} axes with the new ones; TFLite slices up to 5`;

  // Effective axes, TFLite's way: the ellipsis expands to the axes the other entries leave out.
  const axes: EffectiveAxis[] = [];
  let expanded = 0;
  let inputAxis = 0;
  const whole = (): EffectiveAxis => ({
    size: input[inputAxis] ?? 0,
    inputAxis: inputAxis++,
    begin: 0,
    end: 0,
    stride: 1,
    beginMask: true,
    endMask: true,
    shrink: false,
  });
  for (let i = 0; i < rank; ) {
    if (bit(masks.ellipsisMask, i)) {
      const ellipsisEnd = Math.max(i + 1, Math.min(i + 1 + added + input.length - count, rank));
      expanded = ellipsisEnd - i - 1;
      for (; i < ellipsisEnd; i++) axes.push(whole());
      continue;
    }
    const spec = i - expanded;
    if (bit(masks.newAxisMask, spec) && spec < count) {
      axes.push({ size: 1, begin: 0, end: 1, stride: 1, beginMask: false, endMask: false, shrink: false });
    } else if (spec >= count) {
      axes.push(whole());
    } else {
      if (inputAxis >= input.length) return `spec entry ${spec} names an axis past the input's rank ${input.length}`;
      axes.push({
        size: input[inputAxis] ?? 0,
        inputAxis: inputAxis++,
        begin: begin[spec] ?? 0,
        end: end[spec] ?? 0,
        stride: strides[spec] ?? 1,
        beginMask: bit(masks.beginMask, spec),
        endMask: bit(masks.endMask, spec),
        shrink: bit(masks.shrinkAxisMask, spec),
      });
    }
    i++;
  }
  if (inputAxis !== input.length) return `the spec covers ${inputAxis} of the input's ${input.length} axes`;

  const resolved = axes.map(resolveAxis);
  const shape: number[] = [];
  resolved.forEach((r, i) => {
    if (!axes[i]?.shrink) shape.push(r.count);
  });
  if (resolved.some((r, i) => axes[i]?.shrink && r.count !== 1)) return 'a shrunk axis begins outside the input';
  const real = resolved.filter((_, i) => axes[i]?.inputAxis !== undefined);
  return { begin: real.map((r) => r.begin), end: real.map((r) => r.end), strides: real.map((r) => r.stride), shape };
}

function resolveAxis(axis: EffectiveAxis): { begin: number; end: number; stride: number; count: number } {
  const { size, stride } = axis;
  const clamp = (v: number): number => (stride > 0 ? Math.min(Math.max(v, 0), size) : Math.min(Math.max(v, -1), size - 1));
  let begin = axis.begin < 0 ? axis.begin + size : axis.begin;
  begin = clamp(begin);
  if (axis.beginMask) begin = stride > 0 ? 0 : size - 1;
  let end: number;
  if (axis.shrink) {
    end = begin >= size ? begin : begin + 1;
  } else {
    end = axis.end < 0 ? axis.end + size : axis.end;
    end = clamp(end);
    if (axis.endMask) end = stride > 0 ? size : -1;
  }
  const effectiveStride = axis.shrink ? 1 : stride;
  const count = Math.max(0, Math.ceil((end - begin) / effectiveStride));
  return { begin, end, stride: effectiveStride, count };
}
