import { expect, test } from 'vitest';
import { BlazefaceError, ReadError } from '../../src/ir/errors.js';
import { graphFromTflite } from '../../src/convert/pipeline.js';
import { readTflite } from '../../src/read/read-tflite.js';
import { decodeModel } from '../../src/schema/tflite.js';
import { modelCases } from '../schema/model-files.js';
import { Random } from '../../scripts/fuzz/random.js';

interface FuzzCase {
  readonly kind: string;
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface TableSpot {
  readonly table: number;
  readonly vtable: number;
  readonly vtableSize: number;
  readonly tableSize: number;
}

const SEED = 0x5eed_b1a2;
const PER_MODEL = { truncations: 80, identifiers: 4, mutations: 160, targeted: 160 };
const RANDOM_BUFFERS = 200;

/**
 * Positions that look like flatbuffer tables: a vtable in the buffer with a plausible size and
 * entries inside the table. Real tables pass, so do a few lookalikes in the weights; both are
 * good places to damage.
 */
function findTables(bytes: Uint8Array): TableSpot[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spots: TableSpot[] = [];
  for (let table = 8; table + 4 <= bytes.length; table += 4) {
    const soffset = view.getInt32(table, true);
    const vtable = table - soffset;
    if (soffset === 0 || vtable < 8 || vtable + 4 > bytes.length || vtable % 2 !== 0) continue;
    const vtableSize = view.getUint16(vtable, true);
    const tableSize = view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize > 40 || vtableSize % 2 !== 0 || vtable + vtableSize > bytes.length) continue;
    if (tableSize < 4 || tableSize > 256 || table + tableSize > bytes.length) continue;
    let plausible = true;
    for (let entry = 4; entry < vtableSize && plausible; entry += 2) {
      const offset = view.getUint16(vtable + entry, true);
      plausible = offset === 0 || (offset >= 4 && offset < tableSize);
    }
    if (plausible) spots.push({ table, vtable, vtableSize, tableSize });
  }
  return spots;
}

function offsetValue(random: Random, old: number, length: number): number {
  const choices = [
    0,
    1,
    2,
    3,
    0xffffffff,
    0x7fffffff,
    0x80000000,
    length,
    length - 4,
    old + 1 + random.below(8),
    old - 1 - random.below(8),
    old * 2,
    random.u32(),
  ];
  return random.pick(choices) >>> 0;
}

function shortValue(random: Random, old: number): number {
  return random.pick([0, 1, 2, 3, 5, 0xffff, 0xfffe, 0x8000, old + 1, old + 2, old - 1, old - 2, random.below(0x10000)]) & 0xffff;
}

/**
 * A working copy of one model that cases edit in place and put back afterwards: copying a
 * model of up to 5 MB for each of the 400 cases made the test spend most of its time
 * allocating. The copy is exactly as long as the model and owns its ArrayBuffer, as a fresh
 * copy per case would.
 */
class Scratch {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Each byte an edit overwrote, with its old value, in the order written. */
  private readonly log: [number, number][] = [];

  constructor(source: Uint8Array) {
    this.bytes = source.slice();
    this.view = new DataView(this.bytes.buffer);
  }

  setUint8(at: number, value: number): void {
    this.log.push([at, this.bytes[at] as number]);
    this.bytes[at] = value;
  }

  setUint16(at: number, value: number): void {
    for (let i = 0; i < 2; i++) this.log.push([at + i, this.bytes[at + i] as number]);
    this.view.setUint16(at, value, true);
  }

  setUint32(at: number, value: number): void {
    for (let i = 0; i < 4; i++) this.log.push([at + i, this.bytes[at + i] as number]);
    this.view.setUint32(at, value, true);
  }

  /** Puts back every byte edited since the last undo, latest first. */
  undo(): void {
    for (let i = this.log.length - 1; i >= 0; i--) {
      const [at, value] = this.log[i] as [number, number];
      this.bytes[at] = value;
    }
    this.log.length = 0;
  }
}

/** Damages one field of a table in `scratch`; returns what it damaged. */
function targetedMutation(random: Random, scratch: Scratch, spots: readonly TableSpot[]): string {
  const { bytes, view } = scratch;
  const spot = random.pick(spots);
  const entries = (spot.vtableSize - 4) / 2;
  const fields = [...Array(entries).keys()].map((k) => view.getUint16(spot.vtable + 4 + 2 * k, true)).filter((o) => o !== 0);
  const what = random.pick(['soffset', 'vtable size', 'table size', 'vtable entry', 'field value', 'vector length', 'root offset']);
  switch (what) {
    case 'soffset':
      scratch.setUint32(spot.table, offsetValue(random, view.getUint32(spot.table, true), bytes.length));
      break;
    case 'vtable size':
      scratch.setUint16(spot.vtable, shortValue(random, spot.vtableSize));
      break;
    case 'table size':
      scratch.setUint16(spot.vtable + 2, shortValue(random, spot.tableSize));
      break;
    case 'vtable entry':
      if (entries > 0) {
        const entry = spot.vtable + 4 + 2 * random.below(entries);
        scratch.setUint16(entry, shortValue(random, view.getUint16(entry, true)));
      }
      break;
    case 'field value':
    case 'vector length': {
      const offset = fields.length > 0 ? random.pick(fields) : 4;
      const at = spot.table + offset;
      if (at + 4 > bytes.length) break;
      const old = view.getUint32(at, true);
      if (what === 'field value') {
        scratch.setUint32(at, offsetValue(random, old, bytes.length));
      } else if (at + old + 4 <= bytes.length) {
        scratch.setUint32(at + old, offsetValue(random, view.getUint32(at + old, true), bytes.length));
      }
      break;
    }
    case 'root offset':
      scratch.setUint32(0, offsetValue(random, view.getUint32(0, true), bytes.length));
      break;
  }
  return what;
}

/**
 * The cases of one model, made one at a time: a case's bytes are valid until the next one is
 * asked for, when its edits are undone.
 */
function* modelFuzzCases(random: Random, id: string, source: Uint8Array): Generator<FuzzCase> {
  const spots = findTables(source);
  const lengths = new Set<number>([...Array(13).keys(), source.length - 1]);
  while (lengths.size < PER_MODEL.truncations) lengths.add(13 + random.below(source.length - 14));
  // Truncations get copies of their own length, so a read past the cut cannot land in the rest of the model.
  for (const length of lengths) yield { kind: 'truncated', name: `${id} cut to ${length} B`, bytes: source.slice(0, length) };

  const scratch = new Scratch(source);
  const identifiers = ['TFL2', 'tfl3', '\0\0\0\0', String.fromCharCode(...[0, 1, 2, 3].map(() => 32 + random.below(95)))];
  for (const identifier of identifiers.slice(0, PER_MODEL.identifiers)) {
    for (let i = 0; i < 4; i++) scratch.setUint8(4 + i, identifier.charCodeAt(i));
    yield { kind: 'identifier', name: `${id} with identifier ${JSON.stringify(identifier)}`, bytes: scratch.bytes };
    scratch.undo();
  }

  for (let i = 0; i < PER_MODEL.mutations; i++) {
    const count = 1 + random.below(16);
    // Half the mutations land near the tables, not in the weights that fill most of the file.
    const near = i % 2 === 0 && spots.length > 0;
    for (let j = 0; j < count; j++) {
      const at = near ? Math.min(source.length - 1, random.pick(spots).table + random.below(64)) : random.below(source.length);
      scratch.setUint8(at, random.below(256));
    }
    yield { kind: 'mutated', name: `${id} with ${count} random bytes (${near ? 'near tables' : 'anywhere'}) #${i}`, bytes: scratch.bytes };
    scratch.undo();
  }

  for (let i = 0; i < PER_MODEL.targeted; i++) {
    const what = targetedMutation(random, scratch, spots);
    yield { kind: 'targeted', name: `${id} with a damaged ${what} #${i}`, bytes: scratch.bytes };
    scratch.undo();
  }
}

function* randomBufferCases(random: Random): Generator<FuzzCase> {
  for (let i = 0; i < RANDOM_BUFFERS; i++) {
    const bytes = new Uint8Array(random.below(2048));
    for (let j = 0; j < bytes.length; j++) bytes[j] = random.below(256);
    // Half carry the identifier and a small root offset so they reach the table checks.
    if (i % 2 === 0 && bytes.length >= 8) {
      bytes.set([random.below(Math.min(256, bytes.length)), 0, 0, 0, 0x54, 0x46, 0x4c, 0x33]);
    }
    yield { kind: 'random', name: `random buffer #${i} of ${bytes.length} B`, bytes };
  }
}

/** Every case in a fixed order; the random stream does not depend on how the cases fare. */
function* allFuzzCases(random: Random): Generator<FuzzCase> {
  for (const model of modelCases().filter((m) => m.run)) yield* modelFuzzCases(random, model.id, model.load().bytes);
  yield* randomBufferCases(random);
}

test('damaged models and random bytes either decode or throw ReadError', () => {
  let cases = 0;
  const counts = new Map<string, { ok: number; readError: number }>();
  const graphs = { built: 0, rejected: 0 };
  const unexpected: string[] = [];
  let slowest = { ms: 0, name: '' };
  for (const c of allFuzzCases(new Random(SEED))) {
    cases++;
    const tally = counts.get(c.kind) ?? { ok: 0, readError: 0 };
    counts.set(c.kind, tally);
    const started = performance.now();
    try {
      const model = decodeModel(c.bytes, c.name);
      tally.ok++;
      // A file that decodes must also build into a graph or fail with a typed error naming it:
      // what loadGraph does, given the model decoded here instead of decoding it again.
      try {
        graphFromTflite(readTflite(c.bytes, c.name, model));
        graphs.built++;
      } catch (error) {
        if (error instanceof BlazefaceError && error.file === c.name && !error.message.includes('\n')) graphs.rejected++;
        else unexpected.push(`${c.name} (graph): ${String(error)}`);
      }
    } catch (error) {
      if (
        error instanceof ReadError &&
        error.file === c.name &&
        Number.isInteger(error.offset) &&
        error.offset >= 0 &&
        error.offset <= c.bytes.length &&
        !error.message.includes('\n')
      ) {
        tally.readError++;
      } else {
        unexpected.push(`${c.name}: ${String(error)}`);
      }
    }
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { ms, name: c.name };
  }

  const total = [...counts.values()].reduce((sum, t) => sum + t.ok + t.readError, 0);
  const lines = [...counts].map(([kind, t]) => `  ${kind.padEnd(10)} ${String(t.ok).padStart(5)} decoded ${String(t.readError).padStart(5)} ReadError`);
  console.log(
    `fuzz (seed ${SEED.toString(16)}): ${cases} cases\n${lines.join('\n')}\n  of the decoded: ${graphs.built} built a graph, ${graphs.rejected} were rejected with a typed error\n  slowest ${slowest.ms.toFixed(1)} ms: ${slowest.name}`,
  );

  expect(unexpected).toEqual([]);
  expect(total).toBe(cases);
  expect(cases).toBeGreaterThanOrEqual(process.env.CI === 'true' ? 2000 : RANDOM_BUFFERS);
  expect(counts.get('identifier')?.ok ?? 0).toBe(0);
});
