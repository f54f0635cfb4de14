import { SCALAR_SIZES, type ScalarKind } from '../../src/flatbuffer/scalar-kinds.js';
import { FbsSyntaxError, type EnumDecl, type FieldDecl, type SchemaFile, type TableDecl, type TypeRef, type UnionDecl } from './parse-fbs.js';

export type { ScalarKind };

const SCALAR_NAMES: Readonly<Record<string, ScalarKind>> = {
  bool: 'bool',
  byte: 'int8',
  int8: 'int8',
  ubyte: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  long: 'int64',
  int64: 'int64',
  ulong: 'uint64',
  uint64: 'uint64',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};

const INTEGER_BITS: Readonly<Partial<Record<ScalarKind, readonly [signed: boolean, bits: bigint]>>> = {
  int8: [true, 8n],
  uint8: [false, 8n],
  int16: [true, 16n],
  uint16: [false, 16n],
  int32: [true, 32n],
  uint32: [false, 32n],
  int64: [true, 64n],
  uint64: [false, 64n],
};

function scalarNamed(name: string): ScalarKind | undefined {
  return Object.hasOwn(SCALAR_NAMES, name) ? SCALAR_NAMES[name] : undefined;
}

/** Union type ids are stored in one byte, and 0 means "none". */
const MAX_UNION_ID = 255;

export type ValueType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind; readonly enumName?: string }
  | { readonly kind: 'string' }
  | { readonly kind: 'table'; readonly table: string };

export type FieldType = ValueType | { readonly kind: 'union'; readonly union: string } | { readonly kind: 'vector'; readonly element: ValueType };

export interface FieldDef {
  readonly name: string;
  /** vtable index; a union takes this slot for its type and the next for its value. */
  readonly slot: number;
  readonly type: FieldType;
  /** Default of a scalar field (0 or false unless the schema says otherwise). */
  readonly defaultValue: number | boolean;
  readonly deprecated: boolean;
  /** Vector alignment: the element size, or the schema's force_align. */
  readonly alignment: number;
  readonly doc: readonly string[];
}

export interface TableDef {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  readonly slotCount: number;
  readonly doc: readonly string[];
}

export interface EnumDef {
  readonly name: string;
  readonly base: ScalarKind;
  readonly values: readonly { readonly name: string; readonly value: number; readonly doc: readonly string[] }[];
  readonly doc: readonly string[];
}

export interface UnionDef {
  readonly name: string;
  readonly members: readonly { readonly table: string; readonly id: number }[];
  readonly doc: readonly string[];
}

export interface SchemaDef {
  readonly namespace?: string;
  readonly enums: readonly EnumDef[];
  readonly unions: readonly UnionDef[];
  readonly tables: readonly TableDef[];
  readonly rootType: string;
  readonly fileIdentifier?: string;
  readonly fileExtension?: string;
}

/** Checks names, types, ids and defaults, and lays out vtable slots. */
export function resolveSchema(file: SchemaFile, source: string): SchemaDef {
  const byName = new Map<string, EnumDecl | UnionDecl | TableDecl>();
  for (const decl of file.declarations) {
    if (byName.has(decl.name) || scalarNamed(decl.name) || decl.name === 'string') {
      throw new FbsSyntaxError(source, decl.line, `'${decl.name}' is declared twice or shadows a built-in type`);
    }
    byName.set(decl.name, decl);
  }
  const enums = new Map<string, EnumDef>();
  for (const decl of file.declarations) if (decl.kind === 'enum') enums.set(decl.name, resolveEnum(decl, source));
  const context: Context = { source, byName, enums };

  const unions = file.declarations.filter((d): d is UnionDecl => d.kind === 'union').map((d) => resolveUnion(d, context));
  const tables = file.declarations.filter((d): d is TableDecl => d.kind === 'table').map((d) => resolveTable(d, context));
  if (!file.rootType) throw new FbsSyntaxError(source, 1, 'the schema has no root_type');
  if (byName.get(file.rootType)?.kind !== 'table') throw new FbsSyntaxError(source, 1, `root_type '${file.rootType}' is not a table`);
  return {
    namespace: file.namespace,
    enums: [...enums.values()],
    unions,
    tables,
    rootType: file.rootType,
    fileIdentifier: file.fileIdentifier,
    fileExtension: file.fileExtension,
  };
}

interface Context {
  readonly source: string;
  readonly byName: ReadonlyMap<string, EnumDecl | UnionDecl | TableDecl>;
  readonly enums: ReadonlyMap<string, EnumDef>;
}

function resolveEnum(decl: EnumDecl, source: string): EnumDef {
  const base = scalarNamed(decl.base);
  const range = base && INTEGER_BITS[base];
  if (!base || !range) throw new FbsSyntaxError(source, decl.line, `enum ${decl.name}: base type '${decl.base}' is not an integer type`);
  const names = new Set<string>();
  const values = decl.values.map((v) => {
    if (names.has(v.name)) throw new FbsSyntaxError(source, decl.line, `enum ${decl.name}: '${v.name}' appears twice`);
    names.add(v.name);
    if (!fitsInteger(v.value, range)) throw new FbsSyntaxError(source, decl.line, `enum ${decl.name}: ${v.name} = ${v.value} does not fit ${decl.base}`);
    if (v.value > BigInt(Number.MAX_SAFE_INTEGER) || v.value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new FbsSyntaxError(source, decl.line, `enum ${decl.name}: ${v.name} is beyond the integers a number holds exactly`);
    }
    return { name: v.name, value: Number(v.value), doc: v.doc };
  });
  return { name: decl.name, base, values, doc: decl.doc };
}

function resolveUnion(decl: UnionDecl, context: Context): UnionDef {
  const ids = new Set<number>();
  let next = 1n;
  const members = decl.members.map((m) => {
    if (context.byName.get(m.name)?.kind !== 'table') {
      throw new FbsSyntaxError(context.source, m.line, `union ${decl.name}: member '${m.name}' is not a table`);
    }
    const id = m.value ?? next;
    next = id + 1n;
    if (id < 1n || id > BigInt(MAX_UNION_ID) || ids.has(Number(id))) {
      throw new FbsSyntaxError(context.source, m.line, `union ${decl.name}: type id ${id} of ${m.name} is outside 1..${MAX_UNION_ID} or taken`);
    }
    ids.add(Number(id));
    return { table: m.name, id: Number(id) };
  });
  return { name: decl.name, members, doc: decl.doc };
}

function resolveTable(decl: TableDecl, context: Context): TableDef {
  const names = new Set<string>();
  let slot = 0;
  const fields = decl.fields.map((field) => {
    const where = `${decl.name}.${field.name}`;
    if (names.has(field.name)) throw new FbsSyntaxError(context.source, field.line, `${where} is declared twice`);
    names.add(field.name);
    const type = resolveFieldType(field.type, field, where, context);
    const attributes = resolveAttributes(field, type, where, context.source);
    const def: FieldDef = {
      name: field.name,
      slot,
      type,
      defaultValue: resolveDefault(field, type, where, context),
      deprecated: attributes.deprecated,
      alignment: attributes.forceAlign ?? (type.kind === 'vector' ? elementBytes(type.element) : 1),
      doc: field.doc,
    };
    slot += type.kind === 'union' ? 2 : 1;
    return def;
  });
  return { name: decl.name, fields, slotCount: slot, doc: decl.doc };
}

function resolveFieldType(ref: TypeRef, field: FieldDecl, where: string, context: Context): FieldType {
  if (ref.kind === 'vector') {
    if (ref.element.kind === 'vector') throw new FbsSyntaxError(context.source, field.line, `${where}: vectors of vectors are not supported`);
    const element = resolveFieldType(ref.element, field, where, context);
    if (element.kind === 'union' || element.kind === 'vector') {
      throw new FbsSyntaxError(context.source, field.line, `${where}: vectors of unions are not supported`);
    }
    return { kind: 'vector', element };
  }
  const scalar = scalarNamed(ref.name);
  if (scalar) return { kind: 'scalar', scalar };
  if (ref.name === 'string') return { kind: 'string' };
  const decl = context.byName.get(ref.name);
  if (!decl) throw new FbsSyntaxError(context.source, field.line, `${where}: unknown type '${ref.name}'`);
  switch (decl.kind) {
    case 'enum':
      return { kind: 'scalar', scalar: (context.enums.get(decl.name) as EnumDef).base, enumName: decl.name };
    case 'union':
      return { kind: 'union', union: decl.name };
    case 'table':
      return { kind: 'table', table: decl.name };
  }
}

function resolveAttributes(field: FieldDecl, type: FieldType, where: string, source: string): { deprecated: boolean; forceAlign?: number } {
  let deprecated = false;
  let forceAlign: number | undefined;
  for (const attribute of field.attributes) {
    if (attribute.name === 'deprecated' && attribute.value === undefined) {
      deprecated = true;
    } else if (attribute.name === 'force_align' && attribute.value !== undefined) {
      const n = Number(attribute.value);
      const minimum = type.kind === 'vector' ? elementBytes(type.element) : 0;
      if (type.kind !== 'vector' || !Number.isInteger(n) || n < minimum || n > 256 || (n & (n - 1)) !== 0) {
        throw new FbsSyntaxError(source, field.line, `${where}: force_align needs a vector and a power of two from the element size to 256`);
      }
      forceAlign = n;
    } else {
      throw new FbsSyntaxError(source, field.line, `${where}: unsupported attribute '${attribute.name}'`);
    }
  }
  return { deprecated, forceAlign };
}

function resolveDefault(field: FieldDecl, type: FieldType, where: string, context: Context): number | boolean {
  const text = field.defaultValue;
  const fail = (detail: string): never => {
    throw new FbsSyntaxError(context.source, field.line, `${where}: ${detail}`);
  };
  if (type.kind !== 'scalar') return text === undefined ? 0 : fail('only scalar fields take a default');
  if (type.scalar === 'bool') {
    if (text === undefined) return false;
    if (text === 'true' || text === 'false') return text === 'true';
    return fail(`default '${text}' is not true or false`);
  }
  if (text === undefined) return 0;
  const enumDef = type.enumName ? context.enums.get(type.enumName) : undefined;
  const named = enumDef?.values.find((v) => v.name === text);
  if (named) return named.value;
  if (!/^[-+]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)$/.test(text)) return fail(`default '${text}' is not a number`);
  const range = INTEGER_BITS[type.scalar];
  if (!range) return Number(text);
  if (!/^[-+]?(?:0[xX][0-9a-fA-F]+|\d+)$/.test(text)) return fail(`default '${text}' is not an integer`);
  const value = text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text.replace(/^\+/, ''));
  if (!fitsInteger(value, range) || value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return fail(`default ${text} does not fit ${type.scalar} or a number`);
  }
  return Number(value);
}

function elementBytes(element: ValueType): number {
  return element.kind === 'scalar' ? SCALAR_SIZES[element.scalar] : 4;
}

function fitsInteger(value: bigint, [signed, bits]: readonly [boolean, bigint]): boolean {
  const min = signed ? -(2n ** (bits - 1n)) : 0n;
  const max = signed ? 2n ** (bits - 1n) - 1n : 2n ** bits - 1n;
  return value >= min && value <= max;
}
