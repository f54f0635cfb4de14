import { extname } from 'node:path';
import { formatFloat32 } from './float32-text.js';

/** The table formats `blazeface anchors --out` writes, chosen by file extension. */
export const ANCHOR_FORMATS = ['npy', 'json', 'txt', 'bin'] as const;
export type AnchorFormat = (typeof ANCHOR_FORMATS)[number];

/** The format for an output path, or undefined when its extension is none of ours. */
export function anchorFormatForPath(path: string): AnchorFormat | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return ANCHOR_FORMATS.find((f) => f === ext);
}

/**
 * Encodes a float32 [N, 4] table (rows x_center, y_center, w, h):
 * - npy: NumPy format 1.0, '<f4', shape (N, 4);
 * - json: an array of [x_center, y_center, w, h] arrays, one row per line;
 * - txt: one anchor per line, four numbers separated by spaces (MediaPipe's anchor test files);
 * - bin: the raw float32 values, little-endian, row-major.
 * Numbers in text formats are the shortest decimals that read back as the same float32.
 */
export function encodeAnchors(table: Float32Array, format: AnchorFormat): Uint8Array {
  if (table.length % 4 !== 0) throw new RangeError(`an anchor table has 4 values per row, got ${table.length} values`);
  switch (format) {
    case 'npy':
      return encodeNpyFloat32(table, [table.length / 4, 4]);
    case 'bin':
      return float32LittleEndian(table);
    case 'json':
      return utf8(
        table.length === 0
          ? '[]\n'
          : `[\n${rows(table)
              .map((r) => `  [${r.join(', ')}]`)
              .join(',\n')}\n]\n`,
      );
    case 'txt':
      return utf8(
        rows(table)
          .map((r) => `${r.join(' ')}\n`)
          .join(''),
      );
  }
}

const NPY_MAGIC = [0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0))];
const NPY_ALIGN = 64;
// NumPy reserves room in the header so the first axis can grow in place; matching it makes
// our files byte-identical to np.save's.
const NPY_GROWTH_DIGITS = 21;

/** A float32 array in NumPy's .npy format version 1.0, C order, written exactly as np.save does. */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  if (shape.length > 0) dict += ' '.repeat(NPY_GROWTH_DIGITS - String(shape[0]).length);
  // The header (magic, version, length, dict, padding, '\n') fills a multiple of 64 bytes.
  const unpadded = NPY_MAGIC.length + 2 + 2 + dict.length + 1;
  const header = `${dict}${' '.repeat(NPY_ALIGN - (unpadded % NPY_ALIGN))}\n`;
  const out = new Uint8Array(NPY_MAGIC.length + 4 + header.length + data.length * 4);
  out.set(NPY_MAGIC, 0);
  out.set([1, 0, header.length & 0xff, header.length >> 8], NPY_MAGIC.length);
  out.set(utf8(header), NPY_MAGIC.length + 4);
  out.set(float32LittleEndian(data), NPY_MAGIC.length + 4 + header.length);
  return out;
}

function float32LittleEndian(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

function rows(table: Float32Array): string[][] {
  return Array.from({ length: table.length / 4 }, (_, i) => Array.from(table.subarray(i * 4, i * 4 + 4), formatFloat32));
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
