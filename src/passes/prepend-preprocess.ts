import type { AnyNode, Graph, Value } from '../ir/graph.js';
import { GraphError } from '../ir/errors.js';
import { freeIds } from './rename-values.js';

/**
 * Adds an `image` input of uint8 RGB pixels [1,H,W,3] and maps it inside the graph to the
 * model's input range [low, high] (pixel * (high - low) / 255, then minus -low when low is not
 * 0: for [-1, 1] pixel * (1/127.5) - 1), so callers can feed decoded image bytes.
 */
export function prependPreprocess(source: Graph, options: { readonly range: readonly [number, number] }): Graph {
  const [low, high] = options.range;
  const graph = freeIds(source, ['image', 'image_scale', 'image_shift', 'image_float', 'image_scaled']);
  const input = graph.values.get('input');
  if (!input || graph.inputs.length !== 1 || graph.inputs[0] !== 'input')
    throw new GraphError('preprocess', 'expects a single input named input (run canonical renaming first)', graph.meta.file);
  const values = new Map(graph.values);
  const add = (value: Value): string => {
    values.set(value.id, value);
    return value.id;
  };
  const image = add({ ...input, id: 'image', dtype: 'uint8' });
  const scale = add({ id: 'image_scale', dtype: 'float32', shape: [], layout: '', data: new Float32Array([(high - low) / 255]) });
  const pixels = add({ ...input, id: 'image_float' });
  const scaled = low === 0 ? 'input' : add({ ...input, id: 'image_scaled' });
  const nodes: AnyNode[] = [
    { op: 'CAST', name: 'image_cast', inputs: [image], outputs: [pixels], attrs: { to: 'float32' } },
    { op: 'MUL', name: 'image_scale', inputs: [pixels, scale], outputs: [scaled], attrs: { activation: 'NONE' } },
  ];
  if (low !== 0) {
    const shift = add({ id: 'image_shift', dtype: 'float32', shape: [], layout: '', data: new Float32Array([-low]) });
    nodes.push({ op: 'SUB', name: 'image_shift', inputs: [scaled, shift], outputs: ['input'], attrs: { activation: 'NONE' } });
  }
  return { ...graph, values, nodes: [...nodes, ...graph.nodes], inputs: [image] };
}
