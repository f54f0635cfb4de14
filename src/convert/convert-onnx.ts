import { emitOnnx, type OnnxEmitReport } from '../emit/onnx/emit-onnx.js';
import { optionsMetadata, provenance, provenanceMetadata } from './provenance.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';
import { decoderOptions, requireDetector, type ModelContext } from './model-context.js';
import { describeOutputs, inputRangeText } from './describe-outputs.js';

export interface OnnxVariant {
  /** Append MediaPipe decoding (outputs `boxes`, `scores`); SSD detectors only. */
  readonly decode?: boolean;
  /** uint8 `image` input normalized in the graph. */
  readonly preprocess?: boolean;
  /** NCHW input [1,3,H,W] instead of NHWC. */
  readonly nchw?: boolean;
  /** Expose these intermediate values as extra outputs (per-layer parity). */
  readonly extraOutputs?: readonly string[];
}

export interface OnnxArtifact {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly report: OnnxEmitReport;
}

export function onnxFileName(name: string, variant: OnnxVariant): string {
  return [name, variant.decode && 'decoded', variant.preprocess && 'image', variant.nchw && 'nchw', 'onnx'].filter(Boolean).join('.');
}

export function convertToOnnx(ctx: ModelContext, variant: OnnxVariant = {}): OnnxArtifact {
  const { file } = ctx;
  const entry = file.entry;
  const graph = ctx.target({
    decode: variant.decode ? decoderOptions(requireDetector(ctx, '--decode')) : undefined,
    preprocess: variant.preprocess ? { range: ctx.input.range } : undefined,
    nchwInput: variant.nchw,
  });
  const input = graph.values.get(graph.inputs[0] ?? '');
  const source = provenance(file);
  const metadata: Record<string, string> = {
    ...provenanceMetadata(file),
    ...optionsMetadata(ctx.detector),
    input_layout: variant.nchw ? 'NCHW' : 'NHWC',
    input_range: variant.preprocess
      ? `uint8 RGB pixels 0..255, mapped in the graph to ${inputRangeText(ctx.input.range)}`
      : `float32 ${inputRangeText(ctx.input.range)}`,
    input_shape: JSON.stringify(input?.shape ?? []),
    outputs: Object.entries(describeOutputs(ctx, graph))
      .map(([name, text]) => `${name} ${text}`)
      .join('; '),
  };
  if (entry) metadata.license = entry.license;
  const { bytes, report } = emitOnnx(graph, {
    producerVersion: CONVERTER_VERSION,
    graphName: entry?.id ?? file.name,
    docString: `${source.title}, converted from ${source.sourceFile} by ${CONVERTER_NAME} ${CONVERTER_VERSION}`,
    metadata,
    extraOutputs: variant.extraOutputs,
  });
  return { fileName: onnxFileName(file.name, variant), bytes, report };
}
