import { emitWeights, type WeightsFile, type WeightsManifest } from '../emit/weights/emit-weights.js';
import { findBlazeBlocks } from '../passes/find-blaze-blocks.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';
import type { ModelContext } from './model-context.js';
import { provenance } from './provenance.js';

export interface WeightsVariant {
  /** Write IEEE half floats instead of float32. */
  readonly fp16?: boolean;
}

export interface WeightsArtifact {
  /** The folder the files go in, `<name>.weights`. */
  readonly folder: string;
  readonly files: readonly WeightsFile[];
  readonly manifest: WeightsManifest;
}

export function weightsFolderName(name: string, variant: WeightsVariant): string {
  return [name, variant.fp16 && 'fp16', 'weights'].filter(Boolean).join('.');
}

/**
 * The raw network (no decoder: anchors are their own artifact, `blazeface anchors`) as weight
 * files in Core ML's layout, NCHW from the input on, each tensor tagged with its BlazeBlock.
 */
export function convertToWeights(ctx: ModelContext, variant: WeightsVariant = {}): WeightsArtifact {
  const { file } = ctx;
  const blocks = new Map<string, number>();
  for (const block of findBlazeBlocks(ctx.graph)) for (const node of block.nodes) blocks.set(node, block.index);
  const { files, manifest } = emitWeights(ctx.target({ nchwInput: true, profile: 'portable' }), {
    dtype: variant.fp16 ? 'float16' : 'float32',
    model: file.entry?.id ?? file.name,
    source: { file: provenance(file).sourceFile, sha256: file.sha256 },
    converter: { name: CONVERTER_NAME, version: CONVERTER_VERSION },
    blazeBlockOf: (node) => blocks.get(node),
  });
  return { folder: weightsFolderName(file.name, variant), files, manifest };
}
