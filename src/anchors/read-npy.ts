import { ReadError } from '../ir/errors.js';

export interface NpyArray {
  readonly shape: readonly number[];
  /** The values in C order, widened to float64 (exact for both '<f4' and '<f8'). */
  readonly data: Float64Array;
  readonly dtype: 'float32' | 'float64';
}

const DTYPES = { '<f4': 'float32', '<f8': 'float64' } as const;

/**
 * Reads a NumPy .npy file (format 1.0, 2.0 or 3.0) holding little-endian float32 or float64
 * in C order: the anchor tables we write, and the seed's float64 reference table.
 */
export function readNpy(bytes: Uint8Array, file: string): NpyArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = '\x93NUMPY';
  if (bytes.length < 10 || String.fromCharCode(...bytes.subarray(0, 6)) !== magic) {
    throw new ReadError(file, 0, 'the .npy magic \\x93NUMPY');
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new ReadError(file, 6, `.npy format version 1, 2 or 3, got ${major}`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new ReadError(file, 8, 'the header length');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new ReadError(file, headerStart, `a ${headerLength}-byte header, file ends first`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const dtype = descr === '<f4' || descr === '<f8' ? DTYPES[descr] : undefined;
  if (dtype === undefined) throw new ReadError(file, headerStart, `descr '<f4' or '<f8', got ${descr ?? 'none'}`);
  if (!/'fortran_order':\s*False/.test(header)) throw new ReadError(file, headerStart, "'fortran_order': False");
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) throw new ReadError(file, headerStart, "a 'shape' tuple");
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ReadError(file, headerStart, `a shape of sizes, got (${shapeText})`);

  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize = dtype === 'float32' ? 4 : 8;
  if (bytes.length !== dataStart + count * itemSize) {
    throw new ReadError(file, dataStart, `${count * itemSize} bytes of data for shape (${shape.join(', ')}), got ${bytes.length - dataStart}`);
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = dataStart + i * itemSize;
    data[i] = dtype === 'float32' ? view.getFloat32(at, true) : view.getFloat64(at, true);
  }
  return { shape, data, dtype };
}
