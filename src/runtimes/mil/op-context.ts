/**
 * What every MIL op executor knows about the operation it runs, and how it reads its
 * parameters. Each executor names the parameters it reads; any other bound parameter, a
 * missing required one, or one of the wrong type is a CoremlError naming the operation (index,
 * name, type) and the parameter, so a program the executor cannot run faithfully fails loudly.
 */
import { CoremlError } from '../../ir/errors.js';
import type { ArrayPool } from './array-pool.js';
import { floatTensor, isFloat, sizeOf, type FloatTensor, type FloatType, type MilTensor } from './tensor.js';

export interface OpContext {
  readonly index: number;
  readonly type: string;
  readonly name: string;
  /** The package, for error messages. */
  readonly file?: string;
  /** Where outputs take their arrays from; without one each output is a fresh array. */
  readonly arrays?: ArrayPool;
}

export function opError(ctx: OpContext, param: string | undefined, detail: string): CoremlError {
  const where = `operation ${ctx.index} '${ctx.name}' (${ctx.type})`;
  return new CoremlError(param ? `${where} input ${param}` : where, detail, ctx.file);
}

/** The bound arguments of one operation: each parameter with its list of values. */
export class Params {
  constructor(
    readonly ctx: OpContext,
    private readonly bound: ReadonlyMap<string, readonly MilTensor[]>,
  ) {}

  /** A zero-filled float output of `shape`. */
  output(dtype: FloatType, shape: readonly number[]): FloatTensor {
    return floatTensor(dtype, shape, this.ctx.arrays?.take(sizeOf(shape)));
  }

  /** A float output of `shape` that the op writes whole: its array may hold an earlier op's values. */
  overwritten(dtype: FloatType, shape: readonly number[]): FloatTensor {
    return floatTensor(dtype, shape, this.ctx.arrays?.takeForOverwrite(sizeOf(shape)));
  }

  /** Refuses every bound parameter not in `known`. */
  only(known: readonly string[]): this {
    for (const name of this.bound.keys()) {
      if (!known.includes(name)) throw opError(this.ctx, name, `is not a parameter of ${this.ctx.type} the executor implements (known: ${known.join(', ')})`);
    }
    return this;
  }

  optional(name: string): MilTensor | undefined {
    const values = this.bound.get(name);
    if (values === undefined) return undefined;
    if (values.length !== 1) throw opError(this.ctx, name, `takes one value, got ${values.length}`);
    return values[0]!;
  }

  tensor(name: string): MilTensor {
    const value = this.optional(name);
    if (!value) throw opError(this.ctx, name, 'is required');
    return value;
  }

  float(name: string): FloatTensor {
    const value = this.tensor(name);
    if (!isFloat(value)) throw opError(this.ctx, name, `must be fp16 or fp32, got ${value.dtype}`);
    return value;
  }

  optionalFloat(name: string, dtype: FloatType): FloatTensor | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    return this.sameType(name, value, dtype);
  }

  /** A float parameter that must have the type of the op's main input (MIL's type domain T). */
  floatOf(name: string, dtype: FloatType): FloatTensor {
    return this.sameType(name, this.tensor(name), dtype);
  }

  /** Every value of a variadic float parameter (concat's values), all of one type. */
  floats(name: string): FloatTensor[] {
    const values = this.bound.get(name) ?? [];
    if (values.length === 0) throw opError(this.ctx, name, 'needs at least one value');
    const first = values[0]!;
    if (!isFloat(first)) throw opError(this.ctx, name, `must be fp16 or fp32, got ${first.dtype}`);
    return values.map((v, i) => this.sameType(`${name}[${i}]`, v, first.dtype));
  }

  /** A float scalar (clip bounds, pad value) of the op's type. */
  floatScalar(name: string, dtype: FloatType, fallback?: number): number {
    const value = this.optional(name);
    if (value === undefined) return this.fallback(name, fallback);
    const t = this.sameType(name, value, dtype);
    if (t.shape.length !== 0) throw opError(this.ctx, name, `must be a scalar, got shape [${t.shape.join(', ')}]`);
    return t.data[0]!;
  }

  /** An int32 vector; `length` when the op fixes it. */
  ints(name: string, fallback?: readonly number[], length?: number): number[] {
    const value = this.optional(name);
    if (value === undefined) return [...this.fallback(name, fallback)];
    if (value.dtype !== 'int32' || value.shape.length !== 1)
      throw opError(this.ctx, name, `must be an int32 vector, got ${value.dtype} [${value.shape.join(', ')}]`);
    if (length !== undefined && value.data.length !== length) throw opError(this.ctx, name, `must hold ${length} values, got ${value.data.length}`);
    return [...value.data];
  }

  int(name: string, fallback?: number): number {
    const value = this.optional(name);
    if (value === undefined) return this.fallback(name, fallback);
    if (value.dtype !== 'int32' || value.shape.length !== 0)
      throw opError(this.ctx, name, `must be an int32 scalar, got ${value.dtype} [${value.shape.join(', ')}]`);
    return value.data[0]!;
  }

  bool(name: string, fallback?: boolean): boolean {
    const value = this.optional(name);
    if (value === undefined) return this.fallback(name, fallback);
    if (value.dtype !== 'bool' || value.shape.length !== 0)
      throw opError(this.ctx, name, `must be a bool scalar, got ${value.dtype} [${value.shape.join(', ')}]`);
    return value.data[0] !== 0;
  }

  /** A string scalar that must be one of `allowed`. */
  string<S extends string>(name: string, allowed: readonly S[], fallback?: S): S {
    const value = this.optional(name);
    if (value === undefined) return this.fallback(name, fallback);
    if (value.dtype !== 'string' || value.shape.length !== 0)
      throw opError(this.ctx, name, `must be a string scalar, got ${value.dtype} [${value.shape.join(', ')}]`);
    const text = value.data[0]!;
    if (!(allowed as readonly string[]).includes(text)) throw opError(this.ctx, name, `'${text}' is not implemented (supported: ${allowed.join(', ')})`);
    return text as S;
  }

  private sameType(name: string, value: MilTensor, dtype: FloatType): FloatTensor {
    if (value.dtype !== dtype) throw opError(this.ctx, name, `must be ${dtype} like the op's input, got ${value.dtype}`);
    return value as FloatTensor;
  }

  private fallback<T>(name: string, fallback: T | undefined): T {
    if (fallback === undefined) throw opError(this.ctx, name, 'is required');
    return fallback;
  }
}

export function expectRank(ctx: OpContext, param: string, t: MilTensor, rank: number): void {
  if (t.shape.length !== rank) throw opError(ctx, param, `must have rank ${rank}, got shape [${t.shape.join(', ')}]`);
}

/** A positive integer pair (strides, kernel sizes, dilations). */
export function positivePair(ctx: OpContext, param: string, values: readonly number[]): [number, number] {
  if (values.length !== 2 || !values.every((v) => Number.isInteger(v) && v > 0)) {
    throw opError(ctx, param, `must be two positive integers, got [${values.join(', ')}]`);
  }
  return [values[0]!, values[1]!];
}

export function checkSize(ctx: OpContext, param: string, t: MilTensor, shape: readonly number[]): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw opError(ctx, param, `must have shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
  }
  if (t.data.length !== sizeOf(shape)) throw opError(ctx, param, 'holds the wrong number of elements');
}
