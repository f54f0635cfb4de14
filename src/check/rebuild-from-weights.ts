import { sha256Hex } from '../io/sha256.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyNode, Graph, Value } from '../ir/graph.js';
import { halvesToFloats } from '../ir/float16.js';
import { typedArrayFromBytes } from '../ir/dtype.js';
import { isOpType } from '../ir/op-table.js';
import { verifyGraph } from '../passes/verify-graph.js';
import { MANIFEST_FILE, WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, type WeightsManifest } from '../emit/weights/emit-weights.js';
import { emitCoreml } from '../emit/coreml/emit-coreml.js';
import { decodeForExecution, executeMlmodel } from '../runtimes/coreml/execute.js';
import { BlazefaceError } from '../ir/errors.js';
import { perm, permuteData } from '../ir/layout.js';
import type { ModelEntry } from '../models/registry.js';
import { readGolden, readGoldenManifest, selectGoldenCases, type GoldenCase, type GoldenManifest } from './golden.js';
import { compareArrays } from './compare.js';
import type { ParityObserver, ParityRow } from './onnx-parity.js';

/**
 * Rebuilds a network from a weights folder alone: manifest.json and the tensor files it
 * lists, nothing from the converter's own graph. Every file is checked against the
 * manifest's byte length and sha256, the layers become a graph whose shapes the op table
 * re-derives (so a manifest shape that does not follow from the layers is caught), and that
 * graph is run as a Core ML model in the reference executor.
 */
export function readWeightsFolder(dir: string): { readonly manifest: WeightsManifest; readonly graph: Graph } {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new BlazefaceError('no manifest.json', dir);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as WeightsManifest;
  if (manifest.format !== WEIGHTS_FORMAT || manifest.version !== WEIGHTS_FORMAT_VERSION) {
    throw new BlazefaceError(`format ${manifest.format} version ${manifest.version} is not ${WEIGHTS_FORMAT} ${WEIGHTS_FORMAT_VERSION}`, manifestPath);
  }
  const values = new Map<string, Value>();
  const add = (value: Value): void => {
    if (values.has(value.id)) throw new BlazefaceError(`${value.id} is defined twice`, manifestPath);
    values.set(value.id, value);
  };
  for (const input of manifest.inputs) add({ id: input.name, dtype: 'float32', shape: input.shape, layout: input.layout });
  for (const tensor of manifest.tensors) {
    const path = join(dir, tensor.file);
    const bytes = new Uint8Array(readFileSync(path));
    const digest = sha256Hex(bytes);
    if (bytes.byteLength !== tensor.byteLength || digest !== tensor.sha256) {
      throw new BlazefaceError(`${bytes.byteLength} bytes with sha256 ${digest}; the manifest lists ${tensor.byteLength} bytes, ${tensor.sha256}`, path);
    }
    add({ id: tensor.name, dtype: 'float32', shape: tensor.shape, layout: tensor.layout, data: littleEndianFloats(bytes, tensor.dtype, tensor.shape, path) });
  }
  const nodes = manifest.layers.map((layer): AnyNode => {
    if (!isOpType(layer.op)) throw new BlazefaceError(`layer ${layer.name}: unknown op ${layer.op}`, manifestPath);
    for (const output of layer.outputs) add({ id: output.name, dtype: 'float32', shape: output.shape, layout: output.layout });
    return { op: layer.op, name: layer.name, inputs: layer.inputs, outputs: layer.outputs.map((o) => o.name), attrs: layer.attrs } as AnyNode;
  });
  const graph: Graph = {
    values,
    nodes,
    inputs: manifest.inputs.map((i) => i.name),
    outputs: manifest.outputs.map((o) => o.name),
    meta: { file: manifestPath },
  };
  return { manifest, graph: verifyGraph(graph, 'reading the weights manifest') };
}

/** The rebuilt network as a function of one float32 input per graph input (in the manifest's shapes). */
export function rebuiltRunner(graph: Graph): (inputs: Readonly<Record<string, Float32Array>>) => Record<string, Float32Array> {
  const { bytes } = emitCoreml(graph, { metadata: {} });
  const model = decodeForExecution(bytes, graph.meta.file);
  return (inputs) => {
    const outputs = executeMlmodel(model, inputs, graph.meta.file);
    return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, tensor.data]));
  };
}

/**
 * The rebuilt network of a weights folder on the golden cases of `entry` (by default every one
 * that can be checked here), compared with the TFLite runtime's golden outputs (the folder
 * holds the raw network, every output by name).
 */
export function rebuiltGoldenParity(
  dir: string,
  entry: ModelEntry,
  golden: GoldenManifest = readGoldenManifest(),
  cases: readonly GoldenCase[] = selectGoldenCases(entry, { manifest: golden }).cases,
  observe?: ParityObserver,
): ParityRow[] {
  const { manifest, graph } = readWeightsFolder(dir);
  const [input] = manifest.inputs;
  if (!input || manifest.inputs.length !== 1) throw new BlazefaceError(`expected one input, the manifest lists ${manifest.inputs.length}`, graph.meta.file);
  const { width, height } = entry.input;
  const run = rebuiltRunner(graph);
  const rows: ParityRow[] = [];
  for (const c of cases) {
    const nhwc = c.makeInput();
    const data = input.layout === 'NCHW' ? permuteData(nhwc, [1, height, width, 3], perm('NHWC', 'NCHW')) : nhwc;
    const out = run({ [input.name]: data });
    const expected = readGolden(entry.id, c.name, golden).tensors;
    const actual = new Map<string, Float32Array>();
    for (const [output, want] of expected) {
      actual.set(output, out[output] ?? new Float32Array(0));
      rows.push({
        model: entry.id,
        variant: `${manifest.model} weights (${manifest.dtype})`,
        case: c.name,
        output,
        ...compareArrays(actual.get(output)!, want),
      });
    }
    observe?.({ case: c, actual, expected });
  }
  return rows;
}

function littleEndianFloats(bytes: Uint8Array, dtype: string, shape: readonly number[], path: string): Float32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const width = dtype === 'float16' ? 2 : dtype === 'float32' ? 4 : 0;
  if (width === 0) throw new BlazefaceError(`dtype ${dtype} is neither float32 nor float16`, path);
  if (bytes.byteLength !== count * width) throw new BlazefaceError(`${bytes.byteLength} bytes do not hold [${shape.join(',')}] ${dtype}`, path);
  return dtype === 'float32' ? typedArrayFromBytes('float32', bytes) : halvesToFloats(typedArrayFromBytes('float16', bytes));
}
