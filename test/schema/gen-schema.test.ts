import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { camel } from '../../scripts/gen-schema/emit-ts.js';
import { TFLITE_SCHEMA } from '../../scripts/gen-schema/generate.js';
import { FbsSyntaxError, parseFbs } from '../../scripts/gen-schema/parse-fbs.js';
import { resolveSchema, type SchemaDef, type TableDef } from '../../scripts/gen-schema/resolve-schema.js';

function resolve(text: string): SchemaDef {
  return resolveSchema(parseFbs(text, 'test.fbs'), 'test.fbs');
}

function table(schema: SchemaDef, name: string): TableDef {
  const found = schema.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

function slots(schema: SchemaDef, name: string): Record<string, number> {
  return Object.fromEntries(table(schema, name).fields.map((f) => [f.name, f.slot]));
}

describe('parse and resolve', () => {
  const schema = resolve(`
    namespace demo.v1;
    file_identifier "DEMO";
    /// Colours.
    enum Colour : ubyte { RED = 2, GREEN, BLUE = 7, }
    table A { x:int; }
    table B { y:[ushort] (force_align: 8); }
    union AB { A, B = 5, }
    union Next { B, A }
    /* block
       comment */
    table Root {
      gone:int (deprecated);
      colour:Colour = GREEN;
      flag:bool = true;
      ratio:float = 1.5;
      big:long = -9007199254740991;
      choice:AB;
      names:[string];
      items:[A];
      raw:[ubyte] (force_align: 16);
      tail:short = 0x7f;
    }
    root_type Root;
  `);

  test('numbers enum values on from the last explicit one', () => {
    expect(schema.enums[0]).toMatchObject({ name: 'Colour', base: 'uint8', doc: ['Colours.'] });
    expect(schema.enums[0]?.values.map((v) => [v.name, v.value])).toEqual([
      ['RED', 2],
      ['GREEN', 3],
      ['BLUE', 7],
    ]);
  });

  test('keeps explicit union ids and counts on from them', () => {
    expect(schema.unions.map((u) => u.members.map((m) => [m.table, m.id]))).toEqual([
      [
        ['A', 1],
        ['B', 5],
      ],
      [
        ['B', 1],
        ['A', 2],
      ],
    ]);
  });

  test('gives deprecated fields their slot and unions two', () => {
    expect(slots(schema, 'Root')).toEqual({ gone: 0, colour: 1, flag: 2, ratio: 3, big: 4, choice: 5, names: 7, items: 8, raw: 9, tail: 10 });
    expect(table(schema, 'Root').slotCount).toBe(11);
    expect(table(schema, 'Root').fields[0]?.deprecated).toBe(true);
  });

  test('resolves defaults, enum names and alignment', () => {
    const fields = Object.fromEntries(table(schema, 'Root').fields.map((f) => [f.name, f]));
    expect(fields.colour).toMatchObject({ defaultValue: 3, type: { kind: 'scalar', scalar: 'uint8', enumName: 'Colour' } });
    expect(fields.flag?.defaultValue).toBe(true);
    expect(fields.ratio?.defaultValue).toBe(1.5);
    expect(fields.big?.defaultValue).toBe(-9007199254740991);
    expect(fields.tail?.defaultValue).toBe(127);
    expect(fields.raw?.alignment).toBe(16);
    expect(fields.names?.alignment).toBe(4);
    expect(table(schema, 'B').fields[0]?.alignment).toBe(8);
    expect(schema).toMatchObject({ namespace: 'demo.v1', fileIdentifier: 'DEMO', rootType: 'Root' });
  });

  test('camelCases field names', () => {
    expect(camel('stride_w')).toBe('strideW');
    expect(camel('builtin_options_2')).toBe('builtinOptions2');
    expect(camel('dilation_h_factor')).toBe('dilationHFactor');
  });
});

describe('schema errors name the file and line', () => {
  const cases: readonly [string, string, RegExp][] = [
    ['unknown type', 'table T {\n  x:Nope;\n}\nroot_type T;', /test\.fbs:2: T\.x: unknown type 'Nope'/],
    ['vector of unions', 'table A {}\nunion U { A }\ntable T {\n  u:[U];\n}\nroot_type T;', /:4: .*vectors of unions/],
    ['taken union id', 'table A {}\ntable B {}\nunion U { A = 3,\n B = 3 }\ntable T {}\nroot_type T;', /:4: .*type id 3 of B/],
    ['union id out of range', 'table A {}\nunion U { A = 256 }\ntable T {}\nroot_type T;', /outside 1\.\.255/],
    ['union of a non-table', 'enum E : byte { X }\nunion U { E }\ntable T {}\nroot_type T;', /member 'E' is not a table/],
    ['unknown attribute', 'table T {\n  x:int (id: 3);\n}\nroot_type T;', /:2: T\.x: unsupported attribute 'id'/],
    ['force_align on a scalar', 'table T { x:int (force_align: 8); }\nroot_type T;', /force_align needs a vector/],
    ['structs', 'struct S { x:int; }', /:1: unsupported declaration 'struct'/],
    ['includes', 'include "other.fbs";', /unsupported declaration 'include'/],
    ['no root type', 'table T {}', /no root_type/],
    ['root type not a table', 'enum E : int { X }\nroot_type E;', /root_type 'E' is not a table/],
    ['enum overflow', 'enum E : byte {\n  X = 128\n}\ntable T {}\nroot_type T;', /enum E: X = 128 does not fit byte/],
    ['float enum', 'enum E : float { X }', /base type 'float' is not an integer type/],
    ['default on a string', 'table T { s:string = 3; }\nroot_type T;', /only scalar fields take a default/],
    ['bad bool default', 'table T { b:bool = 1; }\nroot_type T;', /not true or false/],
    ['integer default out of range', 'table T { b:byte = 300; }\nroot_type T;', /does not fit int8/],
    ['duplicate field', 'table T {\n  a:int;\n  a:int;\n}\nroot_type T;', /:3: T\.a is declared twice/],
    ['duplicate declaration', 'table T {}\ntable T {}\nroot_type T;', /'T' is declared twice/],
    ['unterminated comment', 'table T {} /* open', /unterminated block comment/],
    ['missing semicolon', 'table T {\n  a:int\n}', /:3: expected ';', got '}'/],
    ['table attributes', 'table T (deprecated) {}\nroot_type T;', /attributes on enums, unions and tables/],
    ['bad file identifier', 'file_identifier "TOOLONG";', /exactly 4 characters/],
  ];

  test.each(cases)('%s', (_name, text, message) => {
    expect(() => resolve(text)).toThrow(FbsSyntaxError);
    expect(() => resolve(text)).toThrow(message);
  });
});

describe('schemas/tflite.fbs keeps the format layout', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const schema = resolveSchema(parseFbs(readFileSync(root + TFLITE_SCHEMA, 'utf8'), TFLITE_SCHEMA), TFLITE_SCHEMA);

  // Slots follow the field order of the TFLite schema (vtable entry = 4 + 2 * slot).
  test.each([
    ['Model', { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4, metadata_buffer: 5, metadata: 6, signature_defs: 7 }],
    ['OperatorCode', { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3 }],
    ['Tensor', { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, is_variable: 5, sparsity: 6, shape_signature: 7, has_rank: 8 }],
    ['QuantizationParameters', { min: 0, max: 1, scale: 2, zero_point: 3, details: 4, quantized_dimension: 6 }],
    ['DimensionMetadata', { format: 0, dense_size: 1, array_segments: 2, array_indices: 4 }],
    ['Buffer', { data: 0, offset: 1, size: 2 }],
    ['SignatureDef', { inputs: 0, outputs: 1, signature_key: 2, deprecated_tag: 3, subgraph_index: 4 }],
    [
      'Operator',
      {
        opcode_index: 0,
        inputs: 1,
        outputs: 2,
        builtin_options: 3,
        custom_options: 5,
        custom_options_format: 6,
        mutating_variable_inputs: 7,
        intermediates: 8,
        large_custom_options_offset: 9,
        large_custom_options_size: 10,
        builtin_options_2: 11,
      },
    ],
    ['ResizeBilinearOptions', { new_height: 0, new_width: 1, align_corners: 2, half_pixel_centers: 3 }],
  ])('%s', (name, expected) => {
    expect(slots(schema, name)).toEqual(expected);
  });

  test('BuiltinOperator names the codes the BlazeFace models use', () => {
    const ops = new Map(schema.enums.find((e) => e.name === 'BuiltinOperator')?.values.map((v) => [v.name, v.value]));
    expect(ops.size).toBeGreaterThan(160);
    expect([...ops.values()]).toEqual([...ops.keys()].map((_, i) => i));
    for (const [name, value] of [
      ['ADD', 0],
      ['DEPTH_TO_SPACE', 5],
      ['DEQUANTIZE', 6],
      ['RESIZE_BILINEAR', 23],
      ['PAD', 34],
      ['DENSIFY', 124],
      ['BATCH_MATMUL', 126],
    ] as const) {
      expect(ops.get(name)).toBe(value);
    }
  });
});
