/**
 * Loads our Core ML subset (schemas/coreml/*.proto) with protobufjs, once, from the package
 * root, so the same files serve the repository and the installed package.
 */
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { PACKAGE_ROOT } from '../models/registry.js';

const COREML_SCHEMA_DIR = join(PACKAGE_ROOT, 'schemas', 'coreml');

const PACKAGE = 'CoreML.Specification';

let root: protobuf.Root | undefined;
let writerRoot: protobuf.Root | undefined;

function schemaRoot(): protobuf.Root {
  if (!root) {
    const loaded = new protobuf.Root();
    // Every import names a sibling file; resolve it inside COREML_SCHEMA_DIR whatever the origin.
    loaded.resolvePath = (_origin, target) => join(COREML_SCHEMA_DIR, target.replace(/^.*[\\/]/, ''));
    // keepCase: Apple's field names (ReLU, nGroups, ...) must survive as written.
    loaded.loadSync('model.proto', { keepCase: true });
    loaded.resolveAll();
    root = loaded;
  }
  return root;
}

/** A message type of the subset by its short name, e.g. `schemaType('NeuralNetworkLayer')`. */
export function schemaType(name: string): protobuf.Type {
  return schemaRoot().lookupType(`${PACKAGE}.${name}`);
}

/**
 * The same schema for writing, with one difference on the wire that is none: a packed
 * `repeated float` is a length-delimited field holding little-endian float32s, exactly what a
 * `bytes` field with the same number writes. Declaring WeightParams.floatValue as bytes here
 * lets the encoder copy a weight tensor in one go instead of building an object per float.
 */
export function writerSchemaType(name: string): protobuf.Type {
  if (!writerRoot) {
    const copy = protobuf.Root.fromJSON(schemaRoot().toJSON());
    const weights = copy.lookupType(`${PACKAGE}.WeightParams`);
    const floats = weights.fields.floatValue;
    if (!floats) throw new Error('schemas/coreml: WeightParams has no floatValue');
    weights.remove(floats);
    weights.add(new protobuf.Field('floatValue', floats.id, 'bytes'));
    copy.resolveAll();
    writerRoot = copy;
  }
  return writerRoot.lookupType(`${PACKAGE}.${name}`);
}
