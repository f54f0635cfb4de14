import { describe, expect, test } from 'vitest';
import { MANIFEST_PATH, MODEL_PATH } from '../../../src/coreml/mlpackage.js';
import { CoremlError } from '../../../src/ir/errors.js';
import { executeMlProgram, loadMlPackage } from '../../../src/runtimes/mil/execute.js';
import { constOp, op, packageFiles, run, value, type HandProgram, type Out } from './program.js';

const relu: HandProgram = {
  inputs: [{ name: 'x', shape: [2] }],
  operations: [op('relu', { x: 'x' }, [{ name: 'y', type: 'fp32', shape: [2] }])],
  outputs: [{ name: 'y', type: 'fp32', shape: [2] }],
};

describe('executeMlProgram refuses what it does not implement, naming the operation', () => {
  test.each([
    [
      'an unknown op type',
      op('gelu', { x: 'x' }, [{ name: 'y', type: 'fp32', shape: [2] }]),
      /operation 0 'y' \(gelu\): op type 'gelu' is not implemented by the MIL executor/,
    ],
    [
      'a name no earlier op defines',
      op('relu', { x: 'z' }, [{ name: 'y', type: 'fp32', shape: [2] }]),
      /input x: 'z' is not defined by an earlier operation or a function input/,
    ],
    [
      'an attribute other than name',
      op('relu', { x: 'x' }, [{ name: 'y', type: 'fp32', shape: [2] }], { mode: value.string('fast') }),
      /attribute 'mode' is not implemented/,
    ],
    ['a missing required parameter', op('relu', {}, [{ name: 'y', type: 'fp32', shape: [2] }]), /input x: is required/],
    [
      'a declared output type other than computed',
      op('relu', { x: 'x' }, [{ name: 'y', type: 'fp16', shape: [2] }]),
      /output y is declared fp16 \[2\], the executor computed fp32 \[2\]/,
    ],
  ])('%s', (_, operation, message) => {
    expect(() => run({ ...relu, operations: [operation] }, { x: [1, -1] })).toThrow(message);
  });

  test('a value defined twice', () => {
    const twice = { ...relu, operations: [relu.operations[0]!, op('relu', { x: 'x' }, [{ name: 'y', type: 'fp32', shape: [2] }])] };
    expect(() => run(twice, { x: [1, -1] })).toThrow(/redefines 'y'/);
  });

  test('an opset it does not know', () => {
    expect(() => run({ ...relu, opset: 'CoreML4' }, { x: [1, -1] })).toThrow(/opset: 'CoreML4' is not implemented/);
  });

  test('inputs that the model does not have or that have the wrong size', () => {
    expect(run(relu, { x: [1, -1] }).y).toEqual([1, 0]);
    expect(() => run(relu, { x: [1, -1], z: [0] })).toThrow(/input 'z': is not an input of the model/);
    expect(() => run(relu, { x: [1, -1, 3] })).toThrow(/shape \[2\] needs 2 values, got 3/);
  });
});

describe('loadMlPackage', () => {
  test('refuses a package without a manifest, with a broken one, or whose root model is missing', () => {
    const files = packageFiles(relu);
    const without = (path: string) => new Map([...files].filter(([p]) => p !== path));
    expect(() => loadMlPackage(without(MANIFEST_PATH), 'p.mlpackage')).toThrow(/Manifest\.json: is missing/);
    expect(() => loadMlPackage(without(MODEL_PATH), 'p.mlpackage')).toThrow(/the package does not hold it/);
    const broken = new Map(files).set(MANIFEST_PATH, new TextEncoder().encode('{"fileFormatVersion": "2.0.0"}'));
    expect(() => loadMlPackage(broken, 'p.mlpackage')).toThrow(/fileFormatVersion must be 1\.x\.y, got "2\.0\.0"/);
  });

  test('refuses a model field our schema does not declare', () => {
    const files = packageFiles(relu);
    // Field 10 (Model.isUpdatable, varint 1) is not in our subset.
    const model = Uint8Array.of(...files.get(MODEL_PATH)!, 0x50, 0x01);
    const error = (() => {
      try {
        loadMlPackage(new Map(files).set(MODEL_PATH, model), 'p.mlpackage');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CoremlError);
    expect((error as Error).message).toMatch(/#10: field 10 is not in our Core ML schema/);
  });

  test('a NeuralNetwork model is not run as a program', () => {
    const loaded = loadMlPackage(packageFiles(relu), 'p.mlpackage');
    expect(() => executeMlProgram({ ...loaded, model: { ...loaded.model, mlProgram: undefined }, program: {} }, { x: new Float32Array(2) })).toThrow(
      /has no function 'main'/,
    );
  });
});

describe('buffer reuse', () => {
  const shape = [4];
  const out = (name: string): Out => ({ name, type: 'fp32', shape });
  // Values die at different ops: a is read until d, b is an output read later, k is a constant
  // read at the start and the end, x is the caller's input.
  const program: HandProgram = {
    inputs: [{ name: 'x', shape }],
    operations: [
      constOp('k', value.fp32(shape, [1, 2, 3, 4])),
      op('relu', { x: 'x' }, [out('a')]),
      op('add', { x: 'a', y: 'k' }, [out('b')]),
      op('mul', { x: 'b', y: 'x' }, [out('c')]),
      op('sub', { x: 'c', y: 'a' }, [out('d')]),
      op('add', { x: 'd', y: 'k' }, [out('e')]),
      op('mul', { x: 'e', y: 'e' }, [out('f')]),
    ],
    outputs: [out('b'), out('f')],
  };
  const x = [-1.5, 0.25, 2, -3];
  const k = [1, 2, 3, 4];
  const a = x.map((v) => Math.max(v, 0));
  const b = a.map((v, i) => Math.fround(v + k[i]!));
  const e = b.map((v, i) => Math.fround(Math.fround(Math.fround(v * x[i]!) - a[i]!) + k[i]!));
  const expected = { b, f: e.map((v) => Math.fround(v * v)) };

  test('hands finished arrays to later ops without touching live values, constants or the input', () => {
    const loaded = loadMlPackage(packageFiles(program), 'reuse.mlpackage');
    const input = Float32Array.from(x);
    for (let runIndex = 0; runIndex < 2; runIndex++) {
      const outputs = executeMlProgram(loaded, { x: input });
      expect({ b: [...outputs.b!.data], f: [...outputs.f!.data] }).toEqual(expected);
      expect([...input]).toEqual(x);
    }
    const observed = new Map<string, number[]>();
    const withObserver = executeMlProgram(loaded, { x: input }, { observe: (name, v) => observed.set(name, [...(v.data as Float32Array)]) });
    expect({ b: [...withObserver.b!.data], f: [...withObserver.f!.data] }).toEqual(expected);
    expect(observed.get('k')).toEqual(k);
  });

  test("a run's outputs are the caller's: later runs of the same loaded program never write into them", () => {
    const loaded = loadMlPackage(packageFiles(program), 'reuse.mlpackage');
    const first = executeMlProgram(loaded, { x: Float32Array.from(x) });
    const kept = { b: [...first.b!.data], f: [...first.f!.data] };
    for (let runIndex = 0; runIndex < 3; runIndex++) {
      const later = executeMlProgram(loaded, { x: Float32Array.from(x, (v) => v * (runIndex + 2)) });
      expect(later.b!.data).not.toBe(first.b!.data);
      expect(later.f!.data).not.toBe(first.f!.data);
    }
    expect({ b: [...first.b!.data], f: [...first.f!.data] }).toEqual(kept);
  });
});
