import { describe, expect, test } from 'vitest';
import { ProtoSchemaError, emitProtoTypes } from '../../scripts/gen-schema/emit-proto-ts.js';
import { parseCoremlSchema } from '../../scripts/gen-schema/generate-coreml.js';

const BASE = `syntax = "proto3";
package CoreML.Specification;
`;

function emit(files: Record<string, string>, bulkFloatFields: readonly string[] = []): string {
  return emitProtoTypes(parseCoremlSchema(files), { rootPackage: 'CoreML.Specification', bulkFloatFields });
}

describe('emitProtoTypes', () => {
  const source = emit(
    {
      'a.proto': `${BASE}
import "b.proto";
// A message with everything.
message Outer {
  enum Mode {
    OFF = 0;
    ON = 3;
  }
  message Inner {
    repeated uint64 sizes = 1;
  }
  Mode mode = 1;
  repeated Inner inners = 2;
  map<string, Inner> byName = 3;
  bytes data = 4;
  repeated float weights = 5;
  repeated float small = 6;
  oneof choice {
    int64 big = 20;
    MILSpec.Thing thing = 10;
  }
}
message Empty {}`,
      'b.proto': `syntax = "proto3";
package CoreML.Specification.MILSpec;
message Thing {
  string name = 1;
  bool flag = 2;
  map<string, Thing> children = 3;
}`,
    },
    ['Outer.weights'],
  );

  test('scalars, enums, nested types, maps, bulk floats and oneofs', () => {
    expect(source).toContain('/** A message with everything. */\nexport interface Outer {');
    expect(source).toContain('  mode?: Outer.Mode;');
    expect(source).toContain("  export type Mode = Enum<'OFF' | 'ON'>;");
    expect(source).toContain('  inners?: Outer.Inner[];');
    expect(source).toContain('  byName?: Record<string, Outer.Inner>;');
    expect(source).toContain('    sizes?: number[];');
    expect(source).toContain('  data?: Uint8Array;');
    expect(source).toContain('  weights?: readonly number[] | Float32Array;');
    expect(source).toContain('  small?: number[];');
    expect(source).toContain('  big?: number;');
    expect(source).toContain('  thing?: MILSpec.Thing;');
    expect(source).toContain('export namespace MILSpec {\n  export interface Thing {');
    expect(source).toContain('    children?: Record<string, MILSpec.Thing>;');
    expect(source).toContain('export interface Empty {\n  [field: string]: never;\n}');
    // Oneof members in field-number order, whatever the declaration order.
    expect(source).toContain("'Outer.choice': ['thing', 'big'],");
    expect(source).toContain('  export interface ChoiceOneof {\n    thing: MILSpec.Thing;\n    big: number;\n  }');
    expect(source).toContain("export const BULK_FLOAT_FIELDS = ['Outer.weights'] as const;");
  });

  test('refuses a bulk float field that is not a repeated float', () => {
    expect(() => emit({ 'a.proto': `${BASE}message M { float x = 1; }` }, ['M.x'])).toThrow(/M\.x is not a repeated float field/);
  });

  test('refuses a nested name that would hide a top-level type in a field type', () => {
    const shadowing = `${BASE}message Item { int32 v = 1; }
message Box {
  message Item { int32 w = 1; }
  message Holder { CoreML.Specification.Item top = 1; }
}`;
    expect(() => emit({ 'a.proto': shadowing })).toThrow(/Box\.Item hides Item/);
  });

  test('refuses names the generated code needs, declarations outside the package, and stray imports', () => {
    expect(() => emit({ 'a.proto': `${BASE}message Record { int32 v = 1; }` })).toThrow(ProtoSchemaError);
    expect(() => emit({ 'a.proto': 'syntax = "proto3";\npackage Other;\nmessage M { int32 v = 1; }' })).toThrow(/Other is declared outside/);
    expect(() => emit({ 'a.proto': `${BASE}import "missing.proto";\nmessage M { int32 v = 1; }` })).toThrow(/imports missing\.proto/);
    expect(() => emit({ 'a.proto': 'syntax = "proto2";\npackage CoreML.Specification;\nmessage M { optional int32 v = 1; }' })).toThrow(/proto3/);
    expect(() => emit({ 'a.proto': `${BASE}message M { Unknown u = 1; }` })).toThrow(ProtoSchemaError);
  });
});
