import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';
import { bytesOf, DTYPES, type AnyTypedArray, type DType } from '../../ir/dtype.js';
import type { Graph, Value } from '../../ir/graph.js';
import { lowerToOnnx } from './op-lowerings.js';
import { EmitError } from '../../ir/errors.js';
import type { OnnxAttr, OnnxLoweringContext } from './lowering.js';

type Onnx = typeof onnxProto.onnx;
let onnxModule: Onnx | undefined;

/** The ONNX protobuf classes, loaded on first use: commands that never emit ONNX skip their start-up cost. */
function onnxClasses(): Onnx {
  onnxModule ??= (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx;
  return onnxModule;
}

/** ONNX opset and IR version we emit: opset 13 runs on every ONNX Runtime since 1.6 and on onnx >= 1.8 tooling. */
export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;

export interface OnnxEmitOptions {
  readonly producerVersion: string;
  readonly graphName: string;
  readonly docString?: string;
  /** `metadata_props`, written sorted by key so output is byte-stable. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Intermediate values to expose as extra graph outputs (per-layer parity). */
  readonly extraOutputs?: readonly string[];
}

export interface OnnxEmitReport {
  readonly nodes: number;
  readonly initializers: number;
  readonly parameters: number;
  readonly opTypes: Readonly<Record<string, number>>;
}

/** Lowers a graph whose 4-D activations are NCHW (see `toNchw`) to a serialized ONNX ModelProto. */
export function emitOnnx(graph: Graph, options: OnnxEmitOptions): { readonly bytes: Uint8Array; readonly report: OnnxEmitReport } {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  const initialized = new Set<string>();
  const used = new Set<string>([...graph.values.keys()]);
  let parameters = 0;

  const unique = (hint: string): string => {
    let name = hint;
    for (let i = 1; used.has(name); i++) name = `${hint}_${i}`;
    used.add(name);
    return name;
  };
  const addInitializer = (name: string, dtype: DType, shape: readonly number[], data: AnyTypedArray): void => {
    initializers.push({ name, dataType: DTYPES[dtype].onnx, dims: [...shape], rawData: bytesOf(data) });
    initialized.add(name);
    parameters += data.length;
  };

  let currentNode = '';
  const ctx: OnnxLoweringContext = {
    opset: ONNX_OPSET,
    value(id) {
      const value = graph.values.get(id);
      if (!value) throw new EmitError('onnx', `node ${currentNode} reads unknown value ${id}`);
      return value;
    },
    add(opType, inputs, outputs, attrs = {}) {
      for (const id of inputs) {
        const value = graph.values.get(id);
        if (value?.data && !initialized.has(id)) addInitializer(id, value.dtype, value.shape, value.data);
      }
      nodes.push({
        name: unique(currentNode),
        opType,
        input: [...inputs],
        output: [...outputs],
        attribute: Object.keys(attrs)
          .sort()
          .map((key) => attribute(key, attrs[key] as OnnxAttr)),
      });
    },
    constant(hint, dtype, shape, data) {
      const name = unique(hint);
      addInitializer(name, dtype, shape, data);
      return name;
    },
    temp: (hint) => unique(hint),
  };

  for (const node of graph.nodes) {
    currentNode = node.name;
    lowerToOnnx(node, ctx);
  }

  const opTypes: Record<string, number> = {};
  for (const node of [...nodes].sort((a, b) => String(a.opType).localeCompare(String(b.opType))))
    opTypes[node.opType ?? ''] = (opTypes[node.opType ?? ''] ?? 0) + 1;

  const onnx = onnxClasses();
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'blazeface-convert',
    producerVersion: options.producerVersion,
    docString: options.docString ?? '',
    graph: {
      name: options.graphName,
      node: nodes,
      initializer: initializers,
      input: graph.inputs.map((id) => valueInfo(ctx.value(id))),
      output: [...graph.outputs, ...(options.extraOutputs ?? [])].map((id) => valueInfo(ctx.value(id))),
    },
    metadataProps: Object.keys(options.metadata)
      .sort()
      .map((key) => ({ key, value: options.metadata[key] })),
  });
  const bytes = onnx.ModelProto.encode(model).finish();
  return { bytes, report: { nodes: nodes.length, initializers: initializers.length, parameters, opTypes } };
}

function valueInfo(value: Value): onnxProto.onnx.IValueInfoProto {
  return {
    name: value.id,
    type: { tensorType: { elemType: DTYPES[value.dtype].onnx, shape: { dim: value.shape.map((d) => ({ dimValue: d })) } } },
  };
}

function attribute(name: string, attr: OnnxAttr): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnxClasses().AttributeProto;
  switch (attr.kind) {
    case 'int':
      return { name, type: AttributeType.INT, i: attr.value };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: [...attr.value] };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: attr.value };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...attr.value] };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(attr.value) };
  }
}
