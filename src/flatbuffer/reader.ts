import { ReadError } from '../ir/errors.js';
import { SCALAR_SIZES, TYPED_ARRAYS, type NumericKind, type ScalarKind, type TypedArrayOf } from './scalar-kinds.js';

/** A union member whose type id the schema does not declare; decoding goes on without it. */
export interface UnknownUnionMember {
  readonly type: 'unknown';
  readonly typeId: number;
}

/** Decoders of a union's declared members, by type id. */
export type UnionMembers<T> = Readonly<Record<number, (table: Table) => T>>;

export interface ReaderLimits {
  /**
   * Deepest chain of nested tables. uoffsets only point forward, so chains cannot cycle; the
   * TFLite tree is 6 deep, and the limit bounds recursion through any longer chain.
   */
  readonly maxDepth: number;
  /**
   * Decoding work allowed per input byte (plus `baseBudget`). Work counts copied bytes,
   * table bytes and vector slots, so a hostile file that points many fields at one large
   * vector fails instead of making the decoder allocate far beyond the file's size.
   */
  readonly budgetPerByte: number;
  readonly baseBudget: number;
}

export const DEFAULT_LIMITS: ReaderLimits = { maxDepth: 64, budgetPerByte: 8, baseBudget: 1 << 20 };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UOFFSET_SIZE = 4;

/**
 * Integer vectors up to this many bytes are copied element by element into a typed array of
 * their own: V8 keeps one that small inside its heap, where a copy through `slice` makes an
 * ArrayBuffer for each. A model holds thousands of such vectors (shapes, operator inputs), and
 * those ArrayBuffers took more than half the decoding time.
 */
const SMALL_VECTOR_BYTES = 64;

type IntegerKind = Exclude<NumericKind, 'float32' | 'float64'>;

/**
 * Little-endian element readers for the small-vector copy. Floats are left out: a float read
 * goes through a double, which need not keep a NaN's bits, and `slice` keeps every bit.
 */
const INTEGER_READERS: { readonly [K in IntegerKind]: (view: DataView, at: number) => TypedArrayOf<K>[number] } = {
  int8: (v, at) => v.getInt8(at),
  uint8: (v, at) => v.getUint8(at),
  int16: (v, at) => v.getInt16(at, true),
  uint16: (v, at) => v.getUint16(at, true),
  int32: (v, at) => v.getInt32(at, true),
  uint32: (v, at) => v.getUint32(at, true),
  int64: (v, at) => v.getBigInt64(at, true),
  uint64: (v, at) => v.getBigUint64(at, true),
};

function isIntegerKind(kind: NumericKind): kind is IntegerKind {
  return kind !== 'float32' && kind !== 'float64';
}

/**
 * A bounds-checked flatbuffer reader. Every offset it follows is checked against the buffer
 * and every failure is a ReadError naming the byte offset, so damaged or hostile files never
 * surface as RangeError/TypeError. Decoding is eager; tables reached twice through the same
 * decoder are decoded once and shared.
 */
export class FlatBufferReader {
  readonly length: number;
  private readonly view: DataView;
  private readonly decoded = new Map<(table: Table) => unknown, Map<number, unknown>>();
  private depth = 0;
  private budget: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    private readonly limits: ReaderLimits = DEFAULT_LIMITS,
  ) {
    this.length = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.budget = limits.baseBudget + limits.budgetPerByte * bytes.length;
  }

  fail(offset: number, expected: string): never {
    throw new ReadError(this.file, offset, expected);
  }

  /** Checks the 4-byte file identifier that follows the root offset. */
  expectIdentifier(identifier: string): void {
    if (this.length < 8) this.fail(this.length, `at least 8 bytes (root offset and file identifier "${identifier}")`);
    for (let i = 0; i < 4; i++) {
      if (this.bytes[4 + i] !== identifier.charCodeAt(i)) this.fail(4, `file identifier "${identifier}"`);
    }
  }

  root<T>(decode: (table: Table) => T): T {
    this.need(0, UOFFSET_SIZE, 'a root table offset');
    return this.table(this.follow(0, 'root table'), decode);
  }

  /** Decodes the table at `pos`, once per decoder however often it is referenced. */
  table<T>(pos: number, decode: (table: Table) => T): T {
    let seen = this.decoded.get(decode);
    if (!seen) {
      seen = new Map();
      this.decoded.set(decode, seen);
    }
    if (seen.has(pos)) return seen.get(pos) as T;
    if (this.depth >= this.limits.maxDepth) this.fail(pos, `tables nested at most ${this.limits.maxDepth} deep`);
    this.depth++;
    const value = decode(this.open(pos));
    this.depth--;
    seen.set(pos, value);
    return value;
  }

  /** Reads the uoffset at `at` and returns the position it points to. */
  follow(at: number, what: string): number {
    const target = at + this.view.getUint32(at, true);
    if (target + UOFFSET_SIZE > this.length) this.fail(at, `an offset to a ${what} within the ${this.length}-byte buffer`);
    return target;
  }

  /** The element range of the vector at `pos`; the element bytes are checked to be in the buffer. */
  vectorRange(pos: number, elementSize: number): { readonly start: number; readonly count: number } {
    const count = this.view.getUint32(pos, true);
    const start = pos + UOFFSET_SIZE;
    if (start + count * elementSize > this.length) {
      this.fail(pos, `a vector of ${count} x ${elementSize}-byte elements within the ${this.length}-byte buffer`);
    }
    this.spend(UOFFSET_SIZE + count, pos);
    return { start, count };
  }

  string(pos: number): string {
    const count = this.view.getUint32(pos, true);
    const start = pos + UOFFSET_SIZE;
    if (start + count + 1 > this.length) this.fail(pos, `a string of ${count} bytes and its terminator within the buffer`);
    if (this.bytes[start + count] !== 0) this.fail(start + count, 'the zero byte that ends a string');
    this.spend(UOFFSET_SIZE + count, pos);
    try {
      return UTF8.decode(this.bytes.subarray(start, start + count));
    } catch {
      return this.fail(start, 'a UTF-8 string');
    }
  }

  scalar(pos: number, kind: ScalarKind): number {
    const v = this.view;
    switch (kind) {
      case 'bool':
      case 'uint8':
        return v.getUint8(pos);
      case 'int8':
        return v.getInt8(pos);
      case 'int16':
        return v.getInt16(pos, true);
      case 'uint16':
        return v.getUint16(pos, true);
      case 'int32':
        return v.getInt32(pos, true);
      case 'uint32':
        return v.getUint32(pos, true);
      case 'float32':
        return v.getFloat32(pos, true);
      case 'float64':
        return v.getFloat64(pos, true);
      case 'int64':
      case 'uint64':
        return this.safeInteger(pos, kind === 'int64' ? v.getBigInt64(pos, true) : v.getBigUint64(pos, true));
    }
  }

  /** A copy of `count` elements at `start`, so the result does not alias the input. */
  copy<K extends NumericKind>(start: number, count: number, kind: K): TypedArrayOf<K> {
    const size = SCALAR_SIZES[kind];
    if (count * size > SMALL_VECTOR_BYTES || !isIntegerKind(kind)) {
      const bytes = this.bytes.slice(start, start + count * size);
      return new TYPED_ARRAYS[kind](bytes.buffer, 0, count) as TypedArrayOf<K>;
    }
    const out = new TYPED_ARRAYS[kind](count) as TypedArrayOf<K & IntegerKind>;
    const read = INTEGER_READERS[kind] as (view: DataView, at: number) => TypedArrayOf<K & IntegerKind>[number];
    for (let i = 0; i < count; i++) out[i] = read(this.view, start + i * size);
    return out as TypedArrayOf<K>;
  }

  /** Charges decoding work against the budget (see ReaderLimits.budgetPerByte). */
  spend(units: number, at: number): void {
    this.budget -= units;
    if (this.budget < 0) this.fail(at, `decoding work within ${this.limits.budgetPerByte} units per input byte`);
  }

  /** Checks that `size` bytes at `pos` lie in the buffer. */
  need(pos: number, size: number, what: string): void {
    if (pos < 0 || pos + size > this.length) this.fail(pos, `${what} within the ${this.length}-byte buffer`);
  }

  private safeInteger(pos: number, value: bigint): number {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail(pos, `a 64-bit integer within +/-${Number.MAX_SAFE_INTEGER}`);
    }
    return Number(value);
  }

  private open(pos: number): Table {
    this.need(pos, UOFFSET_SIZE, 'a table');
    const vtable = pos - this.view.getInt32(pos, true);
    if (vtable < 0 || vtable + 4 > this.length) this.fail(pos, `the vtable of the table at ${pos} within the buffer`);
    const vtableSize = this.view.getUint16(vtable, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > this.length) {
      this.fail(vtable, `a vtable size that is even, at least 4 and within the buffer (got ${vtableSize})`);
    }
    const inlineSize = this.view.getUint16(vtable + 2, true);
    if (inlineSize < UOFFSET_SIZE || pos + inlineSize > this.length) {
      this.fail(vtable + 2, `a table size of at least 4 bytes that ends within the buffer (got ${inlineSize})`);
    }
    this.spend(inlineSize + vtableSize, pos);
    return new Table(this, pos, vtable, vtableSize, inlineSize);
  }
}

/** One table of a checked buffer; fields are addressed by slot (the vtable index). */
export class Table {
  constructor(
    private readonly reader: FlatBufferReader,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly inlineSize: number,
  ) {}

  scalar(slot: number, kind: ScalarKind, defaultValue: number): number {
    const at = this.field(slot, SCALAR_SIZES[kind]);
    return at === null ? defaultValue : this.reader.scalar(at, kind);
  }

  bool(slot: number, defaultValue: boolean): boolean {
    const at = this.field(slot, 1);
    return at === null ? defaultValue : this.reader.scalar(at, 'bool') !== 0;
  }

  string(slot: number): string | null {
    const at = this.field(slot, UOFFSET_SIZE);
    return at === null ? null : this.reader.string(this.reader.follow(at, 'string'));
  }

  table<T>(slot: number, decode: (table: Table) => T): T | null {
    const at = this.field(slot, UOFFSET_SIZE);
    return at === null ? null : this.reader.table(this.reader.follow(at, 'table'), decode);
  }

  /** A vector of numbers, copied. */
  vector<K extends NumericKind>(slot: number, kind: K): TypedArrayOf<K> | null {
    const range = this.vectorRange(slot, SCALAR_SIZES[kind]);
    if (!range) return null;
    this.reader.spend(range.count * SCALAR_SIZES[kind], range.start);
    return this.reader.copy(range.start, range.count, kind);
  }

  /** A `[ubyte]` vector as a view into the input: buffer data can be large. */
  bytes(slot: number): Uint8Array | null {
    const range = this.vectorRange(slot, 1);
    return range ? this.reader.bytes.subarray(range.start, range.start + range.count) : null;
  }

  bools(slot: number): readonly boolean[] | null {
    const range = this.vectorRange(slot, 1);
    if (!range) return null;
    return Array.from(this.reader.bytes.subarray(range.start, range.start + range.count), (b) => b !== 0);
  }

  strings(slot: number): readonly string[] | null {
    return this.offsets(slot, 'string', (pos) => this.reader.string(pos));
  }

  tables<T>(slot: number, decode: (table: Table) => T): readonly T[] | null {
    return this.offsets(slot, 'table', (pos) => this.reader.table(pos, decode));
  }

  /** A union stored in `typeSlot` (type id) and `typeSlot + 1` (value offset). */
  union<T>(typeSlot: number, members: UnionMembers<T>): T | UnknownUnionMember | null {
    const typeId = this.scalar(typeSlot, 'uint8', 0);
    if (typeId === 0) return null;
    const at = this.field(typeSlot + 1, UOFFSET_SIZE);
    if (at === null) this.reader.fail(this.pos, `a value for the union member of type ${typeId} in slot ${typeSlot + 1}`);
    const decode = members[typeId];
    if (!decode) return { type: 'unknown', typeId };
    return this.reader.table(this.reader.follow(at, 'union value'), decode);
  }

  /** Where the field in `slot` lives, or null when the table omits it. */
  private field(slot: number, size: number): number | null {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.vtableSize) return null;
    const offset = this.reader.scalar(this.vtable + entry, 'uint16');
    if (offset === 0) return null;
    if (offset < UOFFSET_SIZE || offset + size > this.inlineSize) {
      this.reader.fail(this.vtable + entry, `field ${slot} within the ${this.inlineSize}-byte table at ${this.pos}`);
    }
    return this.pos + offset;
  }

  private vectorRange(slot: number, elementSize: number): { readonly start: number; readonly count: number } | null {
    const at = this.field(slot, UOFFSET_SIZE);
    return at === null ? null : this.reader.vectorRange(this.reader.follow(at, 'vector'), elementSize);
  }

  private offsets<T>(slot: number, what: string, decode: (pos: number) => T): readonly T[] | null {
    const range = this.vectorRange(slot, UOFFSET_SIZE);
    if (!range) return null;
    const out = new Array<T>(range.count);
    for (let i = 0; i < range.count; i++) out[i] = decode(this.reader.follow(range.start + i * UOFFSET_SIZE, what));
    return out;
  }
}
