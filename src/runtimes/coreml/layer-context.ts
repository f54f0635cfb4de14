/**
 * What every layer executor knows about the layer it runs, and the refusals they share. A refusal
 * is a CoremlError naming the layer (index, name, type) and the field, so a model the executor
 * cannot run faithfully fails loudly instead of running with a parameter ignored.
 */
import { CoremlError } from '../../ir/errors.js';
import type { LayerKind } from '../../coreml/types.js';
import { sizeOf, tensor, type Tensor } from './tensor.js';
import type { BufferPool } from '../buffers.js';

export interface LayerContext {
  readonly index: number;
  readonly name: string;
  readonly kind: LayerKind;
  /** How many outputs the layer declares. */
  readonly outputCount: number;
  /** Where the layer takes its output arrays from. */
  readonly buffers: BufferPool;
  /** The model, for error messages. */
  readonly file?: string;
}

/**
 * An output of `shape`, its array taken from the run's buffer pool as an earlier layer left it:
 * the layer must write every element.
 */
export function outputTensor(ctx: LayerContext, shape: readonly number[]): Tensor {
  return tensor(shape, ctx.buffers.takeForOverwrite(sizeOf(shape)));
}

export function layerError(ctx: LayerContext, field: string | undefined, detail: string): CoremlError {
  const where = `layer ${ctx.index} '${ctx.name}' (${ctx.kind})`;
  return new CoremlError(field ? `${where} field ${field}` : where, detail, ctx.file);
}

/**
 * Whether a decoded field means "unset": absent, or a proto3 default scalar that a writer put on
 * the wire anyway (proto3 gives scalars no presence, so an explicit 0 or false is the same).
 */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === 0 || value === false || value === '') return true;
  return (Array.isArray(value) || ArrayBuffer.isView(value)) && (value as ArrayLike<unknown>).length === 0;
}

/** Refuses every set field of `params` that the executor does not read. */
export function onlyFields<P extends object>(ctx: LayerContext, params: P, handled: readonly (keyof P & string)[], prefix = ''): void {
  for (const [key, value] of Object.entries(params)) {
    if (!isUnset(value) && !handled.includes(key as keyof P & string)) {
      throw layerError(ctx, prefix + key, 'is set, but the reference executor does not implement it');
    }
  }
}

export function expectInputs(ctx: LayerContext, inputs: readonly Tensor[], min: number, max = min): void {
  if (inputs.length < min || inputs.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw layerError(ctx, undefined, `takes ${want} input(s), the layer lists ${inputs.length}`);
  }
}

export function expectRank(ctx: LayerContext, input: Tensor, min: number, max = Infinity): void {
  const rank = input.shape.length;
  if (rank < min || rank > max) {
    const want = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    throw layerError(ctx, undefined, `needs an input of rank ${want}, got shape [${input.shape.join(', ')}]`);
  }
}

/** An enum field's value if it is one of `supported` (unset means the first, proto3's zero). */
export function enumField<T extends string>(ctx: LayerContext, field: string, value: T | number | undefined, supported: readonly T[]): T {
  const chosen = value ?? supported[0]!;
  if (typeof chosen === 'number' || !supported.includes(chosen)) {
    throw layerError(ctx, field, `value ${String(chosen)} is not implemented (supported: ${supported.join(', ')})`);
  }
  return chosen;
}

/** Resolves a possibly negative axis against `rank`. */
export function normalizeAxis(ctx: LayerContext, field: string, axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) {
    throw layerError(ctx, field, `axis ${axis} is out of range for rank ${rank}`);
  }
  return resolved;
}

/** A [H, W] pair from a repeated field: `fallback` when unset, else exactly two positive values. */
export function pairField(ctx: LayerContext, field: string, values: readonly number[] | undefined, fallback: readonly [number, number]): [number, number] {
  if (values === undefined || values.length === 0) return [fallback[0], fallback[1]];
  if (values.length !== 2 || !values.every((v) => Number.isInteger(v) && v > 0)) {
    throw layerError(ctx, field, `must be two positive integers [H, W], got [${values.join(', ')}]`);
  }
  return [values[0]!, values[1]!];
}
