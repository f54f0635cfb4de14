import { emitOnnx, type OnnxEmitReport } from '../emit/onnx/emit-onnx.js';
import { optionsMetadata, provenance, provenanceMetadata } from './provenance.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';
import { decoderOptions, requireEntry, type ModelContext } from './model-context.js';

export interface OnnxVariant {
  /** Append MediaPipe decoding (outputs `boxes`, `scores`). */
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
  const entry = variant.decode ? requireEntry(file, '--decode') : file.entry;
  const graph = ctx.target({
    decode: variant.decode && entry ? decoderOptions(entry) : undefined,
    preprocess: variant.preprocess,
    nchwInput: variant.nchw,
  });
  const input = graph.values.get(graph.inputs[0] ?? '');
  const source = provenance(file);
  const metadata: Record<string, string> = {
    ...provenanceMetadata(file),
    ...optionsMetadata(file),
    input_layout: variant.nchw ? 'NCHW' : 'NHWC',
    input_range: variant.preprocess ? 'uint8 RGB pixels 0..255, normalized in the graph' : 'float32 RGB in [-1, 1] (pixel / 127.5 - 1)',
    input_shape: JSON.stringify(input?.shape ?? []),
    outputs: variant.decode
      ? 'boxes [1,N,16]: xmin, ymin, xmax, ymax, then 6 keypoints (x, y), normalized to the input; scores [1,N,1]: sigmoid of clamped logits'
      : 'regressors [1,N,16]: box centre x, y, w, h and 6 keypoints (x, y) relative to the anchors, in input pixels; classificators [1,N,1]: logits',
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
