/**
 * Core ML's blob storage format (version 2), the weight file of an ML Program
 * (`weights/weight.bin`), as Apple's MILBlob library writes it:
 *
 *   offset 0    storage header, 64 bytes: u32 count, u32 version (2), 7 x u64 reserved (0)
 *   offset 64   blob 0: metadata, 64 bytes: u32 sentinel 0xDEADBEEF, u32 data type,
 *               u64 size in bytes, u64 data offset, u64 padding bits, 4 x u64 reserved;
 *               then the data, at metadata offset + 64
 *   ...         zero bytes up to the next multiple of 64, blob 1, and so on; the file ends
 *               with the last blob's data.
 *
 * All integers are little-endian. A program refers to a blob by the offset of its metadata.
 * The writer is deterministic; the reader accepts exactly this layout and refuses anything
 * else with a BlobStorageError naming the byte offset.
 */
import { CoremlError } from '../ir/errors.js';

export const BLOB_ALIGNMENT = 64;
export const BLOB_SENTINEL = 0xdeadbeef;
export const BLOB_STORAGE_VERSION = 2;
const HEADER_BYTES = 64;
const METADATA_BYTES = 64;

/** The data types of the format, by their code, with their width in bits. */
export const BLOB_DATA_TYPES = {
  float16: { code: 1, bits: 16 },
  float32: { code: 2, bits: 32 },
  uint8: { code: 3, bits: 8 },
  int8: { code: 4, bits: 8 },
  bfloat16: { code: 5, bits: 16 },
  int16: { code: 6, bits: 16 },
  uint16: { code: 7, bits: 16 },
  int4: { code: 8, bits: 4 },
  uint1: { code: 9, bits: 1 },
  uint2: { code: 10, bits: 2 },
  uint4: { code: 11, bits: 4 },
  uint3: { code: 12, bits: 3 },
  uint6: { code: 13, bits: 6 },
  int32: { code: 14, bits: 32 },
  uint32: { code: 15, bits: 32 },
  float8e4m3fn: { code: 16, bits: 8 },
  float8e5m2: { code: 17, bits: 8 },
} as const;

export type BlobDataType = keyof typeof BLOB_DATA_TYPES;

const TYPE_BY_CODE = new Map<number, BlobDataType>(Object.entries(BLOB_DATA_TYPES).map(([name, { code }]) => [code, name as BlobDataType]));

/** A weight file that is not in the blob storage format; `offset` is where reading failed. */
export class BlobStorageError extends CoremlError {
  constructor(
    file: string,
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`weight file at byte ${offset}`, `expected ${expected}`, file);
  }
}

export interface BlobEntry {
  /** Where the metadata record starts: the offset a program's BlobFileValue names. */
  readonly metadataOffset: number;
  readonly dataType: BlobDataType;
  readonly dataOffset: number;
  /** The data, a view into the file. */
  readonly bytes: Uint8Array;
  /** Unused bits at the end of the data (sub-byte types only). */
  readonly paddingBits: number;
}

/** Appends blobs and makes the file. */
export class BlobStorageWriter {
  private readonly chunks: Uint8Array[] = [new Uint8Array(HEADER_BYTES)];
  private length = HEADER_BYTES;
  private count = 0;

  /** Adds one blob of byte-sized elements and returns its metadata offset. */
  add(dataType: BlobDataType, data: Uint8Array): number {
    const { bits } = BLOB_DATA_TYPES[dataType];
    if (bits % 8 !== 0) throw new CoremlError('blob storage writer', `${dataType} is a sub-byte type; only whole-byte types are written`);
    if (data.byteLength === 0 || data.byteLength % (bits / 8) !== 0) {
      throw new CoremlError('blob storage writer', `a ${dataType} blob needs a positive whole number of elements, got ${data.byteLength} bytes`);
    }
    const metadataOffset = alignUp(this.length);
    if (metadataOffset > this.length) this.push(new Uint8Array(metadataOffset - this.length));
    const metadata = new Uint8Array(METADATA_BYTES);
    const view = new DataView(metadata.buffer);
    view.setUint32(0, BLOB_SENTINEL, true);
    view.setUint32(4, BLOB_DATA_TYPES[dataType].code, true);
    view.setBigUint64(8, BigInt(data.byteLength), true);
    view.setBigUint64(16, BigInt(metadataOffset + METADATA_BYTES), true);
    this.push(metadata);
    this.push(data);
    this.count += 1;
    return metadataOffset;
  }

  /** The whole file: the header with the final count, then every blob. */
  finish(): Uint8Array {
    const header = this.chunks[0]!;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    view.setUint32(0, this.count, true);
    view.setUint32(4, BLOB_STORAGE_VERSION, true);
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.byteLength;
  }
}

/**
 * Parses a whole weight file and indexes its blobs by metadata offset. Checks the header
 * (version 2, zero reserved words, the blob count), every metadata record (64-byte alignment,
 * sentinel, known data type, data right after the record, size a whole number of elements
 * and inside the file, padding bits only for sub-byte types), that the gaps between blobs are
 * zero bytes and that nothing follows the last blob. The reserved words of metadata records
 * are not checked: writers before iOS 18 left them uninitialised.
 */
export function readBlobStorage(bytes: Uint8Array, file: string): ReadonlyMap<number, BlobEntry> {
  const fail = (offset: number, expected: string): never => {
    throw new BlobStorageError(file, offset, expected);
  };
  if (bytes.byteLength < HEADER_BYTES) fail(0, `a ${HEADER_BYTES}-byte storage header, the file has ${bytes.byteLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  const version = view.getUint32(4, true);
  if (version !== BLOB_STORAGE_VERSION) fail(4, `storage version ${BLOB_STORAGE_VERSION}, got ${version}`);
  for (let at = 8; at < HEADER_BYTES; at += 8) {
    if (view.getBigUint64(at, true) !== 0n) fail(at, 'a zero reserved word in the storage header');
  }

  const entries = new Map<number, BlobEntry>();
  let end = HEADER_BYTES;
  for (let index = 0; index < count; index++) {
    const metadataOffset = alignUp(end);
    checkZeros(bytes, end, metadataOffset, fail);
    if (metadataOffset + METADATA_BYTES > bytes.byteLength)
      fail(metadataOffset, `the metadata of blob ${index} of ${count}, the file ends at byte ${bytes.byteLength}`);
    const sentinel = view.getUint32(metadataOffset, true);
    if (sentinel !== BLOB_SENTINEL) fail(metadataOffset, `the blob sentinel 0xdeadbeef, got 0x${sentinel.toString(16)}`);
    const code = view.getUint32(metadataOffset + 4, true);
    const dataType = TYPE_BY_CODE.get(code) ?? fail(metadataOffset + 4, `a blob data type code (1 to 17), got ${code}`);
    const size = safeU64(view, metadataOffset + 8, fail);
    const dataOffset = safeU64(view, metadataOffset + 16, fail);
    const paddingBits = safeU64(view, metadataOffset + 24, fail);
    if (dataOffset !== metadataOffset + METADATA_BYTES)
      fail(metadataOffset + 16, `the data offset ${metadataOffset + METADATA_BYTES} (right after the metadata), got ${dataOffset}`);
    if (size === 0) fail(metadataOffset + 8, 'a blob of at least one element, got 0 bytes');
    if (dataOffset + size > bytes.byteLength)
      fail(metadataOffset + 8, `${size} bytes of data from byte ${dataOffset}, the file ends at byte ${bytes.byteLength}`);
    const { bits } = BLOB_DATA_TYPES[dataType];
    if (bits % 8 === 0) {
      if (size % (bits / 8) !== 0) fail(metadataOffset + 8, `a size that is a multiple of ${bits / 8} bytes for ${dataType}, got ${size}`);
    } else if (paddingBits >= 8 || (size * 8 - paddingBits) % bits !== 0) {
      fail(metadataOffset + 24, `padding bits that leave whole ${bits}-bit ${dataType} elements in ${size} bytes, got ${paddingBits}`);
    }
    entries.set(metadataOffset, {
      metadataOffset,
      dataType,
      dataOffset,
      bytes: bytes.subarray(dataOffset, dataOffset + size),
      paddingBits: bits % 8 === 0 ? 0 : paddingBits,
    });
    end = dataOffset + size;
  }
  if (end !== bytes.byteLength) fail(end, `the end of the file after ${count} blob(s), ${bytes.byteLength - end} more bytes follow`);
  return entries;
}

/** One blob by the metadata offset a program names; BlobStorageError if no blob starts there. */
export function blobAt(entries: ReadonlyMap<number, BlobEntry>, offset: number, file: string): BlobEntry {
  const entry = entries.get(offset);
  if (!entry)
    throw new BlobStorageError(
      file,
      offset,
      `a blob metadata record (blobs start at ${[...entries.keys()].slice(0, 8).join(', ')}${entries.size > 8 ? ', ...' : ''})`,
    );
  return entry;
}

function alignUp(offset: number): number {
  return Math.ceil(offset / BLOB_ALIGNMENT) * BLOB_ALIGNMENT;
}

function checkZeros(bytes: Uint8Array, from: number, to: number, fail: (offset: number, expected: string) => never): void {
  for (let at = from; at < Math.min(to, bytes.byteLength); at++) {
    if (bytes[at] !== 0) fail(at, 'zero padding before the next 64-byte boundary');
  }
}

function safeU64(view: DataView, offset: number, fail: (offset: number, expected: string) => never): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(offset, `a size or offset below 2^53, got ${value}`);
  return Number(value);
}
