import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelContext } from '../../src/convert/model-context.js';
import { loadModelFile } from '../../src/models/registry.js';
import { readAppendedZip } from '../../src/read/zip.js';
import { normalizationRange } from '../../src/read/read-metadata.js';
import { formatInspect, inspectModel } from '../../src/report/inspect.js';
import { AssociatedFileType, ColorSpaceType, encodeModelMetadata, type ModelMetadataInit } from '../../src/schema/tflite-metadata.js';
import { decodeModel, encodeModel } from '../../src/schema/tflite.js';
import { availableModels } from '../support/models.js';

const dir = mkdtempSync(join(tmpdir(), 'blazeface-metadata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** CRC-32 (IEEE), so the archives below are ones any zip tool accepts, not just our reader. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A zip archive of `files` (deflated when `deflate`), written as TFLite Support's populator
 * (Python zipfile appending to the model) writes it: offsets count from the start of the
 * whole file when `absolute`, else from the start of the archive.
 */
function zipArchive(files: Record<string, string>, options: { deflate: boolean; before: number; absolute: boolean }): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const base = options.absolute ? options.before : 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const stored = options.deflate ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(options.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(options.deflate ? 8 : 0, 10);
    entry.writeUInt32LE(crc32(data), 16);
    entry.writeUInt32LE(stored.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(base + offset, 42);
    locals.push(local, nameBytes, stored);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + stored.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(base + offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const LABELS = 'background\nface\n\nhand\n';

const METADATA: ModelMetadataInit = {
  name: 'Blaze test detector',
  description: 'short_range with metadata',
  version: 'v2',
  author: 'tests',
  license: 'Apache-2.0',
  minParserVersion: '1.0.0',
  subgraphMetadata: [
    {
      inputTensorMetadata: [
        {
          name: 'image',
          content: { contentProperties: { type: 'ImageProperties', value: { colorSpace: ColorSpaceType.RGB, defaultSize: { width: 128, height: 128 } } } },
          processUnits: [{ options: { type: 'NormalizationOptions', value: { mean: [0], std: [255] } } }],
        },
      ],
      outputTensorMetadata: [
        { name: 'boxes' },
        {
          name: 'scores',
          processUnits: [{ options: { type: 'ScoreThresholdingOptions', value: { globalScoreThreshold: 0.25 } } }],
          associatedFiles: [
            { name: 'labels.txt', type: AssociatedFileType.TENSOR_AXIS_LABELS, locale: 'en' },
            { name: 'missing.txt', type: AssociatedFileType.TENSOR_VALUE_LABELS },
          ],
        },
      ],
    },
  ],
};

/** short_range with a TFLITE_METADATA buffer and, after the flatbuffer, `archive(flatbufferLength)`. */
function withMetadata(metadata: Uint8Array, archive: (before: number) => Buffer, name: string): string {
  const original = loadModelFile('short_range');
  const model = decodeModel(original.bytes, original.path);
  const buffers = [...(model.buffers ?? []), { data: metadata }];
  const flatbuffer = encodeModel({ ...model, buffers, metadata: [...(model.metadata ?? []), { name: 'TFLITE_METADATA', buffer: buffers.length - 1 }] });
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([flatbuffer, archive(flatbuffer.length)]));
  return path;
}

describe.skipIf(!availableModels().some((m) => m.id === 'short_range'))('a model carrying TFLITE_METADATA', () => {
  it.each([
    ['deflated, offsets from the start of the file', { deflate: true, absolute: true }],
    ['stored, offsets from the start of the archive', { deflate: false, absolute: false }],
  ])('reads and shows name, version, normalization and labels (%s)', (_, zip) => {
    const path = withMetadata(
      encodeModelMetadata(METADATA),
      (before) => zipArchive({ 'labels.txt': LABELS, 'readme.txt': 'hi' }, { ...zip, before }),
      `meta-${zip.deflate}.tflite`,
    );
    const file = loadModelFile(path);
    const ctx = loadModelContext(file);
    expect(ctx.metadataProblem).toBeUndefined();
    expect(ctx.metadata).toMatchObject({
      name: 'Blaze test detector',
      version: 'v2',
      author: 'tests',
      license: 'Apache-2.0',
      files: ['labels.txt', 'readme.txt'],
    });
    expect(ctx.metadata?.inputs[0]).toEqual({ name: 'image', normalization: { mean: [0], std: [255] }, image: { colorSpace: 'RGB', width: 128, height: 128 } });
    expect(ctx.metadata?.outputs[1]?.scoreThreshold).toBe(0.25);
    expect(ctx.metadata?.outputs[1]?.labels).toEqual([
      { file: 'labels.txt', type: 'TENSOR_AXIS_LABELS', locale: 'en', labels: ['background', 'face', 'hand'] },
      { file: 'missing.txt', type: 'TENSOR_VALUE_LABELS', problem: 'not in the appended zip archive (labels.txt, readme.txt)' },
    ]);
    // An unknown file's pixel range comes from its normalization: (x - 0) / 255.
    expect(ctx.input.range).toEqual([0, 1]);
    expect(ctx.input.rangeSource).toMatch(/TFLITE_METADATA/);
    const text = formatInspect(inspectModel(ctx.loaded, { file: path, model: null, sha256: file.sha256, bytes: file.bytes.byteLength }, ctx));
    expect(text).toContain('TFLITE_METADATA');
    expect(text).toMatch(/name {9}Blaze test detector/);
    expect(text).toMatch(/version {6}v2/);
    expect(text).toContain('input 0      image: normalization (x - [0]) / [255]; image RGB 128x128');
    expect(text).toContain('labels.txt (TENSOR_AXIS_LABELS, en) 3 labels: background, face, hand');
    // The graph reads as it does without metadata: the same detector twin.
    expect(ctx.detector?.decoding.num_boxes).toBe(896);
  });

  it('a damaged metadata buffer does not stop reading: inspect says why, conversion goes on', () => {
    const path = withMetadata(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), () => Buffer.alloc(0), 'damaged.tflite');
    const ctx = loadModelContext(loadModelFile(path));
    expect(ctx.metadata).toBeUndefined();
    expect(ctx.metadataProblem).toMatch(/TFLITE_METADATA buffer \d+\).*file identifier "M001"/);
    expect(ctx.target({}).outputs).toEqual(['regressors', 'classificators']);
  });

  it('a damaged archive only costs the labels', () => {
    const path = withMetadata(
      encodeModelMetadata(METADATA),
      (before) => {
        const zip = zipArchive({ 'labels.txt': LABELS }, { deflate: true, absolute: true, before });
        // Break the signature of the central directory entry (46 bytes and the name, before the end record).
        zip.writeUInt32LE(0, zip.length - 22 - 46 - 'labels.txt'.length);
        return zip;
      },
      'bad-zip.tflite',
    );
    const ctx = loadModelContext(loadModelFile(path));
    expect(ctx.metadata?.name).toBe('Blaze test detector');
    expect(ctx.metadata?.outputs[1]?.labels?.[0]?.problem).toMatch(/appended zip archive: at byte \d+: expected a zip central directory entry signature/);
  });
});

describe('readAppendedZip', () => {
  it('is null for a file without an archive', () => {
    expect(readAppendedZip(new Uint8Array(100), 'x')).toBeNull();
  });

  it('reads an archive behind other bytes, whichever way its offsets count', () => {
    for (const absolute of [true, false]) {
      const zip = zipArchive({ 'a.txt': 'alpha', 'b.txt': 'beta beta beta' }, { deflate: true, absolute, before: 7 });
      const entries = readAppendedZip(new Uint8Array(Buffer.concat([Buffer.alloc(7, 9), zip])), 'x')!;
      expect(entries.map((e) => [e.name, Buffer.from(e.read()).toString()])).toEqual([
        ['a.txt', 'alpha'],
        ['b.txt', 'beta beta beta'],
      ]);
    }
  });
});

describe('normalizationRange', () => {
  it('maps 0..255 through (x - mean) / std when every channel agrees', () => {
    expect(normalizationRange({ normalization: { mean: [127.5], std: [127.5] } })).toEqual([-1, 1]);
    expect(normalizationRange({ normalization: { mean: [0, 0, 0], std: [255, 255, 255] } })).toEqual([0, 1]);
    expect(normalizationRange({ normalization: { mean: [123.7, 116.3, 103.5], std: [58.4, 57.1, 57.4] } })).toBeUndefined();
    expect(normalizationRange({})).toBeUndefined();
  });
});
