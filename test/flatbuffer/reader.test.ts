import { describe, expect, test } from 'vitest';
import { Builder } from 'flatbuffers';
import { DEFAULT_LIMITS, FlatBufferReader, type Table } from '../../src/flatbuffer/reader.js';
import { decodeModel, encodeModel, type ModelInit } from '../../src/schema/tflite.js';
import { readErrorOf } from './read-error.js';

const FILE = 'damaged.tflite';

const MODEL: ModelInit = {
  version: 3,
  description: 'ok',
  buffers: [{}, { data: [1, 2, 3] }],
  subgraphs: [
    { tensors: [{ name: 't', shape: [1, 2] }], operators: [{ inputs: [0], builtinOptions: { type: 'AddOptions', value: { fusedActivationFunction: 1 } } }] },
  ],
};

/** Reads the raw layout of an encoded buffer so a test can damage one exact spot. */
class Layout {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get root(): number {
    return this.view.getUint32(0, true);
  }

  vtable(table: number): number {
    return table - this.view.getInt32(table, true);
  }

  /** The vtable entry of `slot` and the field position it gives. */
  field(table: number, slot: number): { entry: number; pos: number } {
    const entry = this.vtable(table) + 4 + 2 * slot;
    return { entry, pos: table + this.view.getUint16(entry, true) };
  }

  /** Where the offset stored in `slot` points. */
  target(table: number, slot: number): number {
    const { pos } = this.field(table, slot);
    return pos + this.view.getUint32(pos, true);
  }

  /** The table that element `index` of the table vector in `slot` points to. */
  element(table: number, slot: number, index: number): number {
    const at = this.target(table, slot) + 4 + 4 * index;
    return at + this.view.getUint32(at, true);
  }

  setU16(pos: number, value: number): void {
    this.view.setUint16(pos, value, true);
  }

  setU32(pos: number, value: number): void {
    this.view.setUint32(pos, value, true);
  }

  setI32(pos: number, value: number): void {
    this.view.setInt32(pos, value, true);
  }
}

function damaged(): Layout {
  return new Layout(encodeModel(MODEL));
}

function errorOf(layout: Layout) {
  return readErrorOf(() => decodeModel(layout.bytes, FILE));
}

describe('every offset the reader follows is checked', () => {
  test('the undamaged fixture decodes', () => {
    expect(decodeModel(damaged().bytes, FILE).subgraphs?.[0]?.operators?.[0]?.builtinOptions?.type).toBe('AddOptions');
  });

  test('a file shorter than the header', () => {
    const error = readErrorOf(() => decodeModel(new Uint8Array(5), FILE));
    expect(error).toMatchObject({ file: FILE, offset: 5 });
    expect(error.expected).toMatch(/at least 8 bytes/);
  });

  test('a wrong file identifier', () => {
    const layout = damaged();
    layout.bytes.set([0x54, 0x46, 0x4c, 0x32], 4);
    expect(errorOf(layout)).toMatchObject({ offset: 4, expected: 'file identifier "TFL3"' });
    expect(errorOf(layout).describe()).toBe(`${FILE}: at byte 4: expected file identifier "TFL3"`);
  });

  test('a root offset past the end', () => {
    const layout = damaged();
    layout.setU32(0, layout.bytes.length);
    expect(errorOf(layout)).toMatchObject({ offset: 0 });
    expect(errorOf(layout).expected).toMatch(/offset to a root table within/);
  });

  test('a vtable offset that leaves the buffer', () => {
    const layout = damaged();
    layout.setI32(layout.root, layout.root + 1);
    expect(errorOf(layout)).toMatchObject({ offset: layout.root });
    expect(errorOf(layout).expected).toMatch(/the vtable of the table/);
  });

  test.each([3, 5, 0xfffe])('a vtable size of %d', (size) => {
    const layout = damaged();
    const vtable = layout.vtable(layout.root);
    layout.setU16(vtable, size);
    expect(errorOf(layout)).toMatchObject({ offset: vtable });
    expect(errorOf(layout).expected).toMatch(/vtable size that is even, at least 4 and within the buffer/);
  });

  test('a table size that runs past the end', () => {
    const layout = damaged();
    const vtable = layout.vtable(layout.root);
    layout.setU16(vtable + 2, 0xffff);
    expect(errorOf(layout)).toMatchObject({ offset: vtable + 2 });
  });

  test('a field outside its table', () => {
    const layout = damaged();
    const { entry } = layout.field(layout.root, 3);
    layout.setU16(entry, 0xfff0);
    expect(errorOf(layout)).toMatchObject({ offset: entry });
    expect(errorOf(layout).expected).toMatch(/^field 3 within the \d+-byte table at/);
  });

  test('a field that overlaps the vtable offset', () => {
    const layout = damaged();
    const { entry } = layout.field(layout.root, 0);
    layout.setU16(entry, 2);
    expect(errorOf(layout)).toMatchObject({ offset: entry });
  });

  test('an offset field that points past the end', () => {
    const layout = damaged();
    const { pos } = layout.field(layout.root, 3);
    layout.setU32(pos, 0xfffffff0);
    expect(errorOf(layout)).toMatchObject({ offset: pos });
    expect(errorOf(layout).expected).toMatch(/offset to a string within/);
  });

  test('a vector longer than the buffer', () => {
    const layout = damaged();
    const vector = layout.target(layout.root, 4);
    layout.setU32(vector, 0x40000000);
    expect(errorOf(layout)).toMatchObject({ offset: vector });
    expect(errorOf(layout).expected).toMatch(/vector of 1073741824 x 4-byte elements/);
  });

  test('a scalar vector whose bytes run past the end', () => {
    const layout = damaged();
    const tensor = layout.element(layout.element(layout.root, 2, 0), 0, 0);
    const shape = layout.target(tensor, 0);
    layout.setU32(shape, (layout.bytes.length - shape) / 4);
    expect(errorOf(layout)).toMatchObject({ offset: shape });
  });

  test('a string without its terminator', () => {
    const layout = damaged();
    const text = layout.target(layout.root, 3);
    layout.bytes[text + 4 + 2] = 0x21;
    expect(errorOf(layout)).toMatchObject({ offset: text + 6, expected: 'the zero byte that ends a string' });
  });

  test('a string that is not UTF-8', () => {
    const layout = damaged();
    const text = layout.target(layout.root, 3);
    layout.bytes[text + 4] = 0xff;
    expect(errorOf(layout)).toMatchObject({ offset: text + 4, expected: 'a UTF-8 string' });
  });

  test('a union type without a value', () => {
    const layout = damaged();
    const operator = layout.element(layout.element(layout.root, 2, 0), 3, 0);
    layout.setU16(layout.field(operator, 4).entry, 0);
    expect(errorOf(layout)).toMatchObject({ offset: operator });
    expect(errorOf(layout).expected).toMatch(/a value for the union member of type 11/);
  });

  test('an unknown union type decodes as unknown', () => {
    const layout = damaged();
    const operator = layout.element(layout.element(layout.root, 2, 0), 3, 0);
    layout.bytes[layout.field(operator, 3).pos] = 200;
    expect(decodeModel(layout.bytes, FILE).subgraphs?.[0]?.operators?.[0]?.builtinOptions).toEqual({ type: 'unknown', typeId: 200 });
  });

  test('a 64-bit field beyond the safe integers', () => {
    const layout = new Layout(encodeModel({ buffers: [{ size: 1 }] }));
    const buffer = layout.element(layout.root, 4, 0);
    const { pos } = layout.field(buffer, 2);
    layout.setU32(pos + 4, 0x80000000);
    expect(errorOf(layout)).toMatchObject({ offset: pos });
  });
});

describe('limits against hostile files', () => {
  test('a chain of tables deeper than the limit stops there', () => {
    // uoffsets are unsigned, so references only point forward and cannot form a cycle; the
    // limit bounds recursion through a chain of distinct tables instead.
    const b = new Builder(64);
    let child = 0;
    for (let i = 0; i < 70; i++) {
      b.startObject(1);
      if (child) b.addFieldOffset(0, child, 0);
      child = b.endObject();
    }
    b.finish(child);
    const decode = (t: Table): number => 1 + (t.table(0, decode) ?? 0);
    expect(new FlatBufferReader(b.asUint8Array(), FILE, { ...DEFAULT_LIMITS, maxDepth: 70 }).root(decode)).toBe(70);
    const error = readErrorOf(() => new FlatBufferReader(b.asUint8Array(), FILE).root(decode));
    expect(error.expected).toBe('tables nested at most 64 deep');
  });

  test('a table reached twice through one decoder is decoded once and shared', () => {
    const layout = new Layout(encodeModel({ subgraphs: [{ name: 'g' }, { name: 'h' }] }));
    const vector = layout.target(layout.root, 2);
    const second = layout.element(layout.root, 2, 1);
    layout.setU32(vector + 4, second - (vector + 4));
    const shared = decodeModel(layout.bytes, FILE).subgraphs ?? [];
    expect(shared).toHaveLength(2);
    expect(shared[0]).toBe(shared[1]);
    expect(shared[0]?.name).toBe('h');
  });

  test('many tables pointing at one large vector exhaust the work budget', () => {
    const shape = new Int32Array(100_000);
    const layout = new Layout(encodeModel({ subgraphs: [{ tensors: Array.from({ length: 400 }, (_, i) => ({ shape: i === 0 ? shape : [1] })) }] }));
    const graph = layout.element(layout.root, 2, 0);
    const first = layout.target(layout.element(graph, 0, 0), 0);
    for (let i = 1; i < 400; i++) {
      const { pos } = layout.field(layout.element(graph, 0, i), 0);
      layout.setU32(pos, first - pos);
    }
    const error = errorOf(layout);
    expect(error.expected).toMatch(/decoding work within 8 units per input byte/);
  });
});
