/**
 * TypeScript shapes for a protobufjs schema, as the project's strict Core ML codec reads and
 * writes them: plain objects with every field optional (an unset proto3 field is absent),
 * 64-bit integers as numbers, enums by name (or the bare number when the schema does not name
 * it), bytes as Uint8Array, maps as records. Nested messages and enums live in a namespace
 * named after their parent, as in the .proto (`BorderAmounts.EdgeSizes`); a nested package
 * (`MILSpec`) is a namespace too.
 */
import protobuf from 'protobufjs';

export class ProtoSchemaError extends Error {
  override readonly name = 'ProtoSchemaError';
}

export interface ProtoTsOptions {
  /** The package whose members become the module's top level, e.g. `CoreML.Specification`. */
  readonly rootPackage: string;
  /**
   * `repeated float` fields (`Message.field`, relative to rootPackage) that the encoder also
   * takes as a Float32Array and writes in one copy: weights can hold millions of floats.
   */
  readonly bulkFloatFields: readonly string[];
}

const SCALAR_TS: Readonly<Record<string, string>> = {
  double: 'number',
  float: 'number',
  int32: 'number',
  uint32: 'number',
  sint32: 'number',
  fixed32: 'number',
  sfixed32: 'number',
  int64: 'number',
  uint64: 'number',
  sint64: 'number',
  fixed64: 'number',
  sfixed64: 'number',
  bool: 'boolean',
  string: 'string',
  bytes: 'Uint8Array',
};

/** Global names the generated code refers to: a schema type of that name would hide them. */
const GLOBALS_USED = new Set(['Record', 'Uint8Array', 'Float32Array', 'Enum', 'ONEOFS', 'BULK_FLOAT_FIELDS']);

interface Scope {
  /** Names declared directly in this TypeScript namespace. */
  readonly names: ReadonlySet<string>;
  readonly path: string;
}

/** Emits the types module body (after the caller's header) for `root`, which must be resolved. */
export function emitProtoTypes(root: protobuf.Root, options: ProtoTsOptions): string {
  checkOnlyPackage(root, options.rootPackage);
  const top = root.lookup(options.rootPackage);
  if (!(top instanceof protobuf.Namespace)) throw new ProtoSchemaError(`no package ${options.rootPackage}`);
  const bulk = new Set(options.bulkFloatFields);
  for (const name of bulk) {
    const [typeName, fieldName] = splitLast(name);
    const field = top.lookupType(typeName).fields[fieldName];
    if (field?.type !== 'float' || !field.repeated) throw new ProtoSchemaError(`${name} is not a repeated float field`);
  }
  const emitter = new Emitter(top, bulk);
  const body = emitter.members(top, [], '');
  const oneofs = emitter.oneofLists;
  return [
    '/** An enum value by name, or its number when the schema has no name for it: refuse those. */',
    'export type Enum<Names extends string> = Names | number;',
    '',
    ...body,
    '/** The members of every oneof (`Message.oneof`), in field-number order. */',
    'export const ONEOFS = {',
    ...oneofs.map(([key, names]) => `  '${key}': [${names.map((n) => `'${n}'`).join(', ')}],`),
    '} as const;',
    '',
    '/** Repeated float fields the encoder also takes as a Float32Array and writes as packed bytes. */',
    `export const BULK_FLOAT_FIELDS = [${options.bulkFloatFields.map((n) => `'${n}'`).join(', ')}] as const;`,
  ].join('\n');
}

class Emitter {
  readonly oneofLists: [string, string[]][] = [];

  constructor(
    private readonly top: protobuf.Namespace,
    private readonly bulk: ReadonlySet<string>,
  ) {}

  /** The declarations of a namespace's members, indented; `scopes` are the enclosing namespaces. */
  members(ns: protobuf.NamespaceBase, scopes: readonly Scope[], indent: string): string[] {
    const out: string[] = [];
    for (const nested of ns.nestedArray) {
      if (GLOBALS_USED.has(nested.name)) throw new ProtoSchemaError(`${nested.fullName}: the name ${nested.name} would hide a name the generated code uses`);
      if (nested instanceof protobuf.Type) out.push(...this.message(nested, scopes, indent));
      else if (nested instanceof protobuf.Enum) out.push(...this.enumeration(nested, indent));
      else if (nested instanceof protobuf.Namespace) {
        out.push(`${indent}export namespace ${nested.name} {`);
        out.push(...trimEnd(this.members(nested, [...scopes, scopeOf(nested, this.relative(nested))], `${indent}  `)));
        out.push(`${indent}}`, '');
      } else throw new ProtoSchemaError(`${nested.fullName}: services and other declarations are not supported`);
    }
    return out;
  }

  private message(type: protobuf.Type, scopes: readonly Scope[], indent: string): string[] {
    const name = this.relative(type);
    const out = [...jsDoc(type.comment, indent), `${indent}export interface ${type.name} {`];
    if (type.fieldsArray.length === 0) out.push(`${indent}  [field: string]: never;`);
    for (const field of type.fieldsArray) {
      const oneof = field.partOf ? `(oneof ${field.partOf.name}) ` : '';
      out.push(...jsDoc(joinDoc(oneof.trim(), field.comment), `${indent}  `));
      out.push(`${indent}  ${field.name}?: ${this.fieldType(field, name, scopes)};`);
    }
    out.push(`${indent}}`, '');
    const oneofs = [...type.oneofsArray].filter((o) => !o.name.startsWith('_'));
    if (type.nestedArray.length === 0 && oneofs.length === 0) return out;
    const innerScopes = [...scopes, scopeOf(type, name, oneofs.map(oneofInterfaceName))];
    const inner: string[] = [];
    for (const oneof of oneofs) {
      const fields = [...oneof.fieldsArray].sort((a, b) => a.id - b.id);
      this.oneofLists.push([`${name}.${oneof.name}`, fields.map((f) => f.name)]);
      inner.push(`${indent}  /** Each member of oneof \`${oneof.name}\` by name, with its value type. */`);
      inner.push(`${indent}  export interface ${oneofInterfaceName(oneof)} {`);
      for (const field of fields) inner.push(`${indent}    ${field.name}: ${this.fieldType(field, name, innerScopes)};`);
      inner.push(`${indent}  }`, '');
    }
    inner.push(...this.members(type, innerScopes, `${indent}  `));
    out.push(`${indent}export namespace ${type.name} {`, ...trimEnd(inner), `${indent}}`, '');
    return out;
  }

  private enumeration(e: protobuf.Enum, indent: string): string[] {
    const names = Object.keys(e.values).map((v) => `'${v}'`);
    return [...jsDoc(e.comment, indent), `${indent}export type ${e.name} = Enum<${names.join(' | ')}>;`, ''];
  }

  private fieldType(field: protobuf.Field, owner: string, scopes: readonly Scope[]): string {
    if (field instanceof protobuf.MapField) {
      if (SCALAR_TS[field.keyType] === undefined || field.keyType === 'bytes') throw new ProtoSchemaError(`${owner}.${field.name}: map key ${field.keyType}`);
      return `Record<string, ${this.valueType(field, scopes)}>`;
    }
    const value = this.valueType(field, scopes);
    if (!field.repeated) return value;
    if (this.bulk.has(`${owner}.${field.name}`)) return 'readonly number[] | Float32Array';
    return `${value}[]`;
  }

  private valueType(field: protobuf.Field, scopes: readonly Scope[]): string {
    const resolved = field.resolvedType;
    if (resolved) return this.reference(resolved, scopes);
    const scalar = SCALAR_TS[field.type];
    if (!scalar) throw new ProtoSchemaError(`${field.fullName}: unresolved type ${field.type}`);
    return scalar;
  }

  /**
   * A type's name from the module's top level. Inside a namespace that declares a member with
   * the same name as the reference's first part, TypeScript would find that member instead,
   * so such a schema is refused rather than given a wrong type.
   */
  private reference(target: protobuf.ReflectionObject, scopes: readonly Scope[]): string {
    const name = this.relative(target);
    const first = name.split('.')[0]!;
    for (const scope of scopes) {
      if (scope.names.has(first) && `${scope.path}.${first}` !== name) {
        throw new ProtoSchemaError(`${scope.path}.${first} hides ${first} for a field of ${scope.path}: rename one of them`);
      }
    }
    return name;
  }

  private relative(object: protobuf.ReflectionObject): string {
    const prefix = `${this.top.fullName}.`;
    if (!object.fullName.startsWith(prefix)) throw new ProtoSchemaError(`${object.fullName} is outside ${this.top.fullName}`);
    return object.fullName.slice(prefix.length);
  }
}

function trimEnd(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end -= 1;
  return lines.slice(0, end);
}

function scopeOf(ns: protobuf.NamespaceBase, path: string, extra: readonly string[] = []): Scope {
  return { names: new Set([...ns.nestedArray.map((n) => n.name), ...extra]), path };
}

function oneofInterfaceName(oneof: protobuf.OneOf): string {
  return `${oneof.name.charAt(0).toUpperCase()}${oneof.name.slice(1)}Oneof`;
}

function checkOnlyPackage(root: protobuf.Root, rootPackage: string): void {
  const walk = (ns: protobuf.NamespaceBase, path: string[]): void => {
    for (const nested of ns.nestedArray) {
      const full = [...path, nested.name].join('.');
      if (rootPackage === full || rootPackage.startsWith(`${full}.`)) {
        if (!(nested instanceof protobuf.Namespace) || nested instanceof protobuf.Type) throw new ProtoSchemaError(`${full} must be a package`);
        if (rootPackage !== full) walk(nested, [...path, nested.name]);
      } else throw new ProtoSchemaError(`${full} is declared outside the package ${rootPackage}`);
    }
  };
  walk(root, []);
}

function splitLast(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot < 0) throw new ProtoSchemaError(`${name}: expected Message.field`);
  return [name.slice(0, dot), name.slice(dot + 1)];
}

function joinDoc(...parts: (string | null)[]): string | null {
  const text = parts.filter((p): p is string => !!p).join(' ');
  return text || null;
}

function jsDoc(comment: string | null, indent: string): string[] {
  if (!comment) return [];
  const lines = comment.split('\n').map((l) => l.trimEnd().replace(/\*\//g, '* /'));
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}
