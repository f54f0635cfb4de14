import { describe, expect, it } from 'vitest';
import { readBlobStorage } from '../../../src/coreml/blob-storage.js';
import { MANIFEST_PATH, MODEL_PATH, WEIGHT_FILE_PATH, readPackageManifest } from '../../../src/coreml/mlpackage.js';
import { MIL_OP_TYPES } from '../../../src/coreml/mil-ops.js';
import { decodeMlmodel, findUnknownFields } from '../../../src/coreml/schema.js';
import type { MILSpec } from '../../../src/coreml/types.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { convertToMlPackage, type MlPackageVariant } from '../../../src/convert/convert-mlpackage.js';
import { keypointNames } from '../../../src/models/keypoints.js';
import { sha256Hex } from '../../../src/io/sha256.js';
import { loadModelFile } from '../../../src/models/registry.js';
import { CONVERTER_VERSION } from '../../../src/models/version.js';
import { availableModels } from '../../support/models.js';

const VARIANTS: readonly MlPackageVariant[] = [{}, { precision: 'fp32' }, { raw: true }, { raw: true, precision: 'fp32' }];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_@]*$/;

describe.each(availableModels().map((m) => [m.id, m] as const))('.mlpackage of %s', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));

  describe.each(VARIANTS.map((v) => [JSON.stringify(v), v] as const))('variant %s', (_, variant) => {
    const artifact = convertToMlPackage(ctx, variant);
    const files = new Map(artifact.files.map((f) => [f.path, f.bytes]));
    const modelBytes = files.get(MODEL_PATH)!;
    const model = decodeMlmodel(modelBytes, MODEL_PATH);
    const main = model.mlProgram!.functions!.main!;
    const block = main.block_specializations!.CoreML5!;
    const operations = block.operations!;
    const precision = variant.precision ?? 'fp16';

    it('holds exactly the manifest, the model and the weight file, and the manifest names the model as root', () => {
      expect([...files.keys()]).toEqual([MANIFEST_PATH, MODEL_PATH, WEIGHT_FILE_PATH]);
      const { modelPath, manifest } = readPackageManifest(new TextDecoder().decode(files.get(MANIFEST_PATH)), 'pkg');
      expect(modelPath).toBe(MODEL_PATH);
      expect(
        Object.values(manifest.itemInfoEntries)
          .map((i) => i.path)
          .sort(),
      ).toEqual(['com.apple.CoreML/model.mlmodel', 'com.apple.CoreML/weights']);
    });

    it('decodes against our schema with no unknown field: specification 6, one function main in opset CoreML5', () => {
      expect(findUnknownFields(modelBytes, MODEL_PATH)).toEqual([]);
      expect(model.specificationVersion).toBe(6);
      expect(model.neuralNetwork).toBeUndefined();
      expect(Object.keys(model.mlProgram!.functions!)).toEqual(['main']);
      expect(model.mlProgram!.version).toBe(1);
      expect(main.opset).toBe('CoreML5');
      expect(Object.keys(main.block_specializations!)).toEqual(['CoreML5']);
    });

    it('has the .mlmodel interface: image or multi-array input, the outputs with shapes, metadata', () => {
      const { width, height } = entry.input;
      const decoding = entry.decoding;
      const input = model.description!.input![0]!;
      if (variant.raw) {
        expect(input).toMatchObject({ name: 'input', type: { multiArrayType: { shape: [1, 3, height, width], dataType: 'FLOAT32' } } });
      } else {
        expect(input).toMatchObject({ name: 'image', type: { imageType: { width, height, colorSpace: 'RGB' } } });
      }
      expect(input.shortDescription).toBeTruthy();
      const user = model.description!.metadata!.userDefined!;
      expect(user).toMatchObject({
        source_sha256: entry.sha256,
        converter_version: CONVERTER_VERSION,
        model_id: id,
        weights: precision === 'fp16' ? 'float16' : 'float32',
      });
      if (decoding) {
        const names = variant.raw ? ['regressors', 'classificators'] : ['boxes', 'scores'];
        expect(model.description!.output!.map((o) => [o.name, o.type?.multiArrayType?.shape, o.type?.multiArrayType?.dataType])).toEqual([
          [names[0], [1, decoding.num_boxes, decoding.num_coords], 'FLOAT32'],
          [names[1], [1, decoding.num_boxes, 1], 'FLOAT32'],
        ]);
        expect(user.keypoints).toBe(keypointNames(decoding.num_keypoints, entry.keypoints).names.join(','));
        expect(JSON.parse(user.anchor_options!)).toEqual(entry.anchors);
      } else {
        expect(model.description!.output!.map((o) => [o.name, o.type?.multiArrayType?.dataType])).toEqual(
          Object.keys(entry.outputs).map((n) => [n, 'FLOAT32']),
        );
        expect(user.keypoints).toBeUndefined();
      }
      expect(user.minimum_deployment_target).toMatch(/^iOS 15/);
      expect(Object.keys(user)).toEqual([...Object.keys(user)].sort());
    });

    it('declares the function inputs and block outputs the description names; every name is a MIL identifier defined once', () => {
      expect(main.inputs!.map((i) => i.name)).toEqual(model.description!.input!.map((i) => i.name));
      expect(main.inputs![0]!.type!.tensorType!.dataType).toBe('FLOAT32');
      expect(block.outputs).toEqual(model.description!.output!.map((o) => o.name));
      const defined = [...main.inputs!.map((i) => i.name!), ...operations.flatMap((op) => op.outputs!.map((o) => o.name!))];
      expect(new Set(defined).size).toBe(defined.length);
      for (const name of defined) expect(name).toMatch(IDENTIFIER);
    });

    it(`computes in ${precision}: every op output but the input scaling and the final casts has that type`, () => {
      const types = new Set(
        operations.filter((op) => op.type !== 'const' && op.type !== 'cast').flatMap((op) => op.outputs!.map((o) => o.type!.tensorType!.dataType)),
      );
      const expected = precision === 'fp16' ? (variant.raw ? ['FLOAT16'] : ['FLOAT32', 'FLOAT16']) : ['FLOAT32'];
      expect([...types].sort()).toEqual([...expected].sort());
      const casts = operations.filter((op) => op.type === 'cast').length;
      // One cast after the input (scaling), one back to float32 per output.
      expect(casts).toBe(precision === 'fp16' ? 1 + (block.outputs?.length ?? 0) : 0);
    });

    it('uses only ops the MIL executor implements, each parameter bound by name to an earlier value', () => {
      const known = new Set<string>(['const', ...MIL_OP_TYPES]);
      const seen = new Set(main.inputs!.map((i) => i.name!));
      for (const op of operations) {
        expect(known.has(op.type!)).toBe(true);
        for (const argument of Object.values(op.inputs ?? {})) {
          for (const binding of argument.arguments!) expect(seen.has(binding.name!)).toBe(true);
        }
        for (const out of op.outputs!) seen.add(out.name!);
      }
    });

    it('stores every constant of ten or more elements in the weight file, each blob used once, in the program precision', () => {
      const blobs = readBlobStorage(files.get(WEIGHT_FILE_PATH)!, WEIGHT_FILE_PATH);
      const refs = operations.filter((op) => op.type === 'const').map((op) => op.attributes!.val!);
      const inFile = refs.filter((v) => v.blobFileValue);
      expect(inFile.map((v) => v.blobFileValue!.offset).sort((a, b) => a! - b!)).toEqual([...blobs.keys()]);
      for (const v of inFile) {
        expect(v.blobFileValue!.fileName).toBe('@model_path/weights/weight.bin');
        const blob = blobs.get(v.blobFileValue!.offset!)!;
        expect(blob.dataType).toBe(precision === 'fp16' ? 'float16' : 'float32');
        expect(blob.bytes.byteLength).toBe(elements(v.type!) * (precision === 'fp16' ? 2 : 4));
      }
      for (const v of refs.filter((r) => r.immediateValue)) expect(elements(v.type!)).toBeLessThan(10);
    });

    it('is byte-identical when emitted again', () => {
      const again = convertToMlPackage(ctx, variant);
      expect(again.files.map((f) => sha256Hex(f.bytes))).toEqual(artifact.files.map((f) => sha256Hex(f.bytes)));
    });
  });

  it('refuses the seed app output names, which are no MIL identifiers', () => {
    expect(() => convertToMlPackage(ctx, { seedCompatible: true } as MlPackageVariant)).toThrow(/must be MIL identifiers/);
  });
});

function elements(type: MILSpec.ValueType): number {
  return (type.tensorType!.dimensions ?? []).reduce((n, d) => n * d.constant!.size!, 1);
}
