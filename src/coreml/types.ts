/**
 * The Core ML message types, generated from schemas/coreml/*.proto into src/schema/coreml.ts
 * (`npm run gen-schema`), and the names the emitter and the executor use for the layer oneof.
 */
import { ONEOFS, type NeuralNetworkLayer } from '../schema/coreml.js';

export type * from '../schema/coreml.js';

/** Parameter messages keyed by the name of their member in NeuralNetworkLayer's `layer` oneof. */
export type LayerParams = NeuralNetworkLayer.LayerOneof;

export type LayerKind = keyof LayerParams;

/** Every layer kind, in the schema's field-number order. */
export const LAYER_KINDS: readonly LayerKind[] = ONEOFS['NeuralNetworkLayer.layer'];
