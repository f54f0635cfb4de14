import { inflateRawSync } from 'node:zlib';
import { ReadError } from '../ir/errors.js';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;

/** One file of a zip archive, its bytes read on demand. */
export interface ZipEntry {
  readonly name: string;
  readonly size: number;
  read(): Uint8Array;
}

/**
 * The files of the zip archive at the end of `bytes`, or null when `bytes` does not end with
 * one. TFLite metadata tools append the archive of a model's associated files (labels, ...)
 * to the .tflite file, so data precedes the archive: as zip readers do for self-extracting
 * archives, the start of the archive is found from where its central directory really is
 * rather than trusting that offsets count from the start of the file. Only stored and
 * deflated entries of single-disk, non-zip64 archives are read; anything else throws ReadError.
 */
export function readAppendedZip(bytes: Uint8Array, file: string): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(view);
  if (end < 0) return null;
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  const directoryStart = end - directorySize;
  // Bytes before the archive, which its offsets do not count.
  const base = directoryStart - directoryOffset;
  if (directoryStart < 0 || base < 0) throw new ReadError(file, end, 'a zip central directory inside the file');
  const entries: ZipEntry[] = [];
  let pos = directoryStart;
  for (let i = 0; i < count; i++) {
    need(view, file, pos, 46, 'a zip central directory entry');
    if (view.getUint32(pos, true) !== CENTRAL_DIRECTORY_ENTRY) throw new ReadError(file, pos, 'a zip central directory entry signature');
    const method = view.getUint16(pos + 10, true);
    const compressedSize = view.getUint32(pos + 20, true);
    const size = view.getUint32(pos + 24, true);
    const nameLength = view.getUint16(pos + 28, true);
    const extraLength = view.getUint16(pos + 30, true);
    const commentLength = view.getUint16(pos + 32, true);
    const localOffset = base + view.getUint32(pos + 42, true);
    need(view, file, pos + 46, nameLength, 'a zip entry name');
    const name = new TextDecoder().decode(bytes.subarray(pos + 46, pos + 46 + nameLength));
    entries.push({ name, size, read: () => entryData(view, bytes, file, { name, method, compressedSize, size, localOffset }) });
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndRecord(view: DataView): number {
  const last = view.byteLength - END_RECORD_SIZE;
  for (let pos = last; pos >= 0 && pos >= last - MAX_COMMENT; pos--) {
    if (view.getUint32(pos, true) === END_OF_CENTRAL_DIRECTORY && pos + END_RECORD_SIZE + view.getUint16(pos + 20, true) === view.byteLength) return pos;
  }
  return -1;
}

function entryData(
  view: DataView,
  bytes: Uint8Array,
  file: string,
  e: { name: string; method: number; compressedSize: number; size: number; localOffset: number },
): Uint8Array {
  need(view, file, e.localOffset, 30, `the zip local header of ${e.name}`);
  if (view.getUint32(e.localOffset, true) !== LOCAL_FILE_HEADER) throw new ReadError(file, e.localOffset, `a zip local header signature for ${e.name}`);
  const start = e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
  need(view, file, start, e.compressedSize, `the ${e.compressedSize} bytes of ${e.name}`);
  const raw = bytes.subarray(start, start + e.compressedSize);
  if (e.method === STORED) return raw;
  if (e.method !== DEFLATED) throw new ReadError(file, e.localOffset, `zip entry ${e.name} stored or deflated, not with method ${e.method}`);
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(e.size, 1) });
  } catch (error) {
    throw new ReadError(file, start, `a valid deflate stream for ${e.name} (${(error as Error).message})`);
  }
}

function need(view: DataView, file: string, pos: number, length: number, what: string): void {
  if (pos < 0 || pos + length > view.byteLength) throw new ReadError(file, pos, what);
}
