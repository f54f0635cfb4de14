/**
 * Our Core ML subset as protobufjs types, built once from the generated descriptor
 * (src/schema/coreml-descriptor.ts, made from schemas/coreml/*.proto by `npm run gen-schema`),
 * so neither the repository nor the installed package reads .proto files at run time.
 */
import protobuf from 'protobufjs';
import { COREML_DESCRIPTOR } from '../schema/coreml-descriptor.js';
import { BULK_FLOAT_FIELDS } from '../schema/coreml.js';

const PACKAGE = 'CoreML.Specification';

let root: protobuf.Root | undefined;
let writerRoot: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  const loaded = protobuf.Root.fromJSON(COREML_DESCRIPTOR as protobuf.INamespace);
  loaded.resolveAll();
  return loaded;
}

/** A message type of the subset by its name below the package, e.g. `schemaType('NeuralNetworkLayer')`. */
export function schemaType(name: string): protobuf.Type {
  root ??= loadRoot();
  return root.lookupType(`${PACKAGE}.${name}`);
}

/**
 * The same schema with one difference on the wire that is none: a packed `repeated float` is a
 * length-delimited field holding little-endian float32s, exactly what a `bytes` field with the
 * same number holds. Declaring the bulk float fields (weights) as bytes here lets the encoder
 * copy a weight tensor in one go, and the executor's decoder read one as a view of the model's
 * bytes, instead of an object or a number per float.
 */
export function bulkBytesSchemaType(name: string): protobuf.Type {
  if (!writerRoot) {
    const copy = loadRoot();
    for (const bulk of BULK_FLOAT_FIELDS) {
      const dot = bulk.lastIndexOf('.');
      const type = copy.lookupType(`${PACKAGE}.${bulk.slice(0, dot)}`);
      const floats = type.fields[bulk.slice(dot + 1)];
      if (!floats) throw new Error(`src/schema/coreml-descriptor.ts: ${bulk} is missing`);
      type.remove(floats);
      type.add(new protobuf.Field(floats.name, floats.id, 'bytes'));
    }
    copy.resolveAll();
    writerRoot = copy;
  }
  return writerRoot.lookupType(`${PACKAGE}.${name}`);
}

/** Whether a field of `type` is one of the bulk float fields written as packed bytes. */
export function isBulkFloatField(type: protobuf.Type, fieldName: string): boolean {
  let fields = bulkFieldsByType.get(type);
  if (!fields) {
    // fullName walks the parents each time it is read, so it is resolved once per type.
    const prefix = `${type.fullName.slice(`.${PACKAGE}.`.length)}.`;
    fields = new Set(
      BULK_FLOAT_FIELDS.filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('.')).map((name) => name.slice(prefix.length)),
    );
    bulkFieldsByType.set(type, fields);
  }
  return fields.has(fieldName);
}

const bulkFieldsByType = new WeakMap<protobuf.Type, ReadonlySet<string>>();
