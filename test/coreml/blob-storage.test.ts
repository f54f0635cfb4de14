import { describe, expect, test } from 'vitest';
import { BLOB_SENTINEL, BlobStorageError, BlobStorageWriter, blobAt, readBlobStorage } from '../../src/coreml/blob-storage.js';

/** A file with a 3-half blob and a 2-float blob, written by the writer under test. */
function sample(): { bytes: Uint8Array; offsets: number[] } {
  const writer = new BlobStorageWriter();
  const first = writer.add('float16', Uint8Array.of(0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c)); // 1, -2, +inf
  const second = writer.add('float32', Uint8Array.of(0, 0, 0x80, 0x3f, 0, 0, 0, 0x40)); // 1, 2
  return { bytes: writer.finish(), offsets: [first, second] };
}

function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
}

function u64(bytes: Uint8Array, at: number): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(at, true));
}

function damaged(edit: (bytes: Uint8Array, view: DataView) => void, from: Uint8Array = sample().bytes): Uint8Array {
  const copy = from.slice();
  edit(copy, new DataView(copy.buffer));
  return copy;
}

function failure(bytes: Uint8Array): BlobStorageError {
  try {
    readBlobStorage(bytes, 'weight.bin');
  } catch (error) {
    if (error instanceof BlobStorageError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('BlobStorageWriter', () => {
  test('lays out the header, 64-byte aligned metadata records and data, as MILBlob does', () => {
    const { bytes, offsets } = sample();
    // header (64) | metadata 0 at 64 | 6 data bytes at 128 | zeros to 192 | metadata 1 at 192 | 8 bytes at 256
    expect(offsets).toEqual([64, 192]);
    expect(bytes.byteLength).toBe(264);
    expect([u32(bytes, 0), u32(bytes, 4)]).toEqual([2, 2]);
    expect(bytes.subarray(8, 64).every((b) => b === 0)).toBe(true);
    expect([u32(bytes, 64), u32(bytes, 68), u64(bytes, 72), u64(bytes, 80), u64(bytes, 88)]).toEqual([BLOB_SENTINEL, 1, 6, 128, 0]);
    expect(bytes.subarray(96, 128).every((b) => b === 0)).toBe(true);
    expect([...bytes.subarray(128, 134)]).toEqual([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c]);
    expect(bytes.subarray(134, 192).every((b) => b === 0)).toBe(true);
    expect([u32(bytes, 192), u32(bytes, 196), u64(bytes, 200), u64(bytes, 208)]).toEqual([BLOB_SENTINEL, 2, 8, 256]);
    expect([...bytes.subarray(256)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
  });

  test('an empty file is the header alone', () => {
    const bytes = new BlobStorageWriter().finish();
    expect(bytes.byteLength).toBe(64);
    expect(readBlobStorage(bytes, 'empty.bin').size).toBe(0);
  });

  test('refuses empty blobs, partial elements and sub-byte types', () => {
    const writer = new BlobStorageWriter();
    expect(() => writer.add('float32', new Uint8Array(0))).toThrow(/positive whole number of elements/);
    expect(() => writer.add('float32', new Uint8Array(6))).toThrow(/positive whole number of elements/);
    expect(() => writer.add('uint4', new Uint8Array(2))).toThrow(/sub-byte/);
  });
});

describe('readBlobStorage', () => {
  test('indexes each blob by its metadata offset, with a view of its data', () => {
    const { bytes, offsets } = sample();
    const blobs = readBlobStorage(bytes, 'weight.bin');
    expect([...blobs.keys()]).toEqual(offsets);
    const first = blobAt(blobs, 64, 'weight.bin');
    expect(first.dataType).toBe('float16');
    expect(first.dataOffset).toBe(128);
    expect([...first.bytes]).toEqual([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c]);
    expect(blobAt(blobs, 192, 'weight.bin').dataType).toBe('float32');
  });

  test('tolerates garbage in the metadata reserved words (writers before iOS 18 left them uninitialised)', () => {
    const bytes = damaged((_, v) => v.setUint32(64 + 40, 0x12345678, true));
    expect(readBlobStorage(bytes, 'weight.bin').size).toBe(2);
  });

  test.each([
    ['a file shorter than the header', (b: Uint8Array) => b.subarray(0, 40), 0, /64-byte storage header/],
    ['another storage version', (b: Uint8Array) => damaged((_, v) => v.setUint32(4, 1, true), b), 4, /storage version 2, got 1/],
    ['a non-zero reserved header word', (b: Uint8Array) => damaged((_, v) => v.setUint8(40, 1), b), 40, /zero reserved word/],
    ['a count beyond the blobs', (b: Uint8Array) => damaged((_, v) => v.setUint32(0, 3, true), b), 320, /metadata of blob 2 of 3/],
    ['a wrong sentinel', (b: Uint8Array) => damaged((_, v) => v.setUint32(192, 0xdeadbeee, true), b), 192, /sentinel 0xdeadbeef, got 0xdeadbeee/],
    ['an unknown data type', (b: Uint8Array) => damaged((_, v) => v.setUint32(68, 99, true), b), 68, /data type code \(1 to 17\), got 99/],
    ['data not right after its metadata', (b: Uint8Array) => damaged((_, v) => v.setBigUint64(80, 192n, true), b), 80, /data offset 128/],
    ['a size past the end of the file', (b: Uint8Array) => damaged((_, v) => v.setBigUint64(200, 16n, true), b), 200, /16 bytes of data from byte 256/],
    ['a size that is not whole elements', (b: Uint8Array) => damaged((_, v) => v.setBigUint64(72, 5n, true), b), 72, /multiple of 2 bytes for float16/],
    ['a zero size', (b: Uint8Array) => damaged((_, v) => v.setBigUint64(72, 0n, true), b), 72, /at least one element/],
    ['a size beyond 2^53', (b: Uint8Array) => damaged((_, v) => v.setBigUint64(72, 2n ** 60n, true), b), 72, /below 2\^53/],
    ['non-zero padding between blobs', (b: Uint8Array) => damaged((x) => (x[150] = 7), b), 150, /zero padding/],
    ['bytes after the last blob', (b: Uint8Array) => Uint8Array.of(...b, 0), 264, /end of the file after 2 blob\(s\), 1 more bytes follow/],
    ['a truncated last blob', (b: Uint8Array) => b.subarray(0, 260), 200, /8 bytes of data from byte 256, the file ends at byte 260/],
  ])('refuses %s, naming the byte offset', (_, edit, offset, message) => {
    const error = failure(edit(sample().bytes));
    expect(error.offset).toBe(offset);
    expect(error.message).toMatch(message);
    expect(error.describe()).toMatch(/^weight\.bin: weight file at byte \d+: expected /);
  });

  test('a program offset that is no metadata record is refused', () => {
    const blobs = readBlobStorage(sample().bytes, 'weight.bin');
    expect(() => blobAt(blobs, 128, 'weight.bin')).toThrow(BlobStorageError);
    expect(() => blobAt(blobs, 128, 'weight.bin')).toThrow(/at byte 128: expected a blob metadata record \(blobs start at 64, 192\)/);
  });

  test('sub-byte blobs need padding bits that leave whole elements', () => {
    const uint4 = damaged((_, v) => {
      v.setUint32(68, 11, true); // uint4: 6 bytes = 12 elements
      v.setBigUint64(88, 4n, true); // 4 padding bits: 44 bits, 11 elements
    });
    expect(blobAt(readBlobStorage(uint4, 'w.bin'), 64, 'w.bin').paddingBits).toBe(4);
    expect(
      failure(
        damaged((_, v) => {
          v.setUint32(68, 12, true);
          v.setBigUint64(88, 1n, true);
        }),
      ).message,
    ).toMatch(/padding bits that leave whole 3-bit uint3 elements in 6 bytes, got 1/);
  });
});
