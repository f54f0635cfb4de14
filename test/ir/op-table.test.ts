import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFbs, type TableDecl } from '../../scripts/gen-schema/parse-fbs.js';
import { camel } from '../../scripts/gen-schema/emit-ts.js';
import { OP_TABLE, OP_TYPES } from '../../src/ir/op-table.js';
import { SHAPE_RULES } from '../../src/ir/shape-rules.js';

const schema = parseFbs(readFileSync('schemas/tflite.fbs', 'utf8'), 'schemas/tflite.fbs');
const tables = new Map(schema.declarations.filter((d): d is TableDecl => d.kind === 'table').map((t) => [t.name, t]));
const builtinOperators = new Set(schema.declarations.flatMap((d) => (d.kind === 'enum' && d.name === 'BuiltinOperator' ? d.values.map((v) => v.name) : [])));

describe.each(OP_TYPES.map((op) => [op, OP_TABLE[op]] as const))('op table row %s', (op, facts) => {
  it('names a TFLite builtin operator', () => {
    expect(builtinOperators.has(op)).toBe(true);
  });

  it('accounts for every field of its options table: read, refused or ignored with a reason', () => {
    const { options, read, refused, ignored = {} } = facts.tflite;
    if (options === null) {
      expect([read, refused, Object.keys(ignored)]).toEqual([[], [], []]);
      return;
    }
    const table = tables.get(options);
    expect(table, `schemas/tflite.fbs has no table ${options}`).toBeDefined();
    const live = (table?.fields ?? []).filter((f) => !f.attributes.some((a) => a.name === 'deprecated')).map((f) => camel(f.name));
    const deprecated = (table?.fields ?? []).filter((f) => f.attributes.some((a) => a.name === 'deprecated')).map((f) => camel(f.name));
    const named = [...read, ...refused.map((r) => r.field), ...Object.keys(ignored)];
    expect(new Set(named).size, 'a field is named twice').toBe(named.length);
    expect(
      named.filter((f) => !live.includes(f) && !deprecated.includes(f)),
      'fields the schema does not have',
    ).toEqual([]);
    expect(
      live.filter((f) => !named.includes(f)),
      'fields the table does not classify',
    ).toEqual([]);
    for (const reason of Object.values(ignored)) expect(reason.length).toBeGreaterThan(10);
  });

  it('keeps its structural facts consistent', () => {
    expect(facts.inputs.length).toBeGreaterThan(0);
    expect(facts.inputs[0]).toBe('activation');
    for (const w of facts.weights ?? []) {
      expect(facts.inputs[w.position]).toBe('weights');
      expect([...w.tflite].sort().join('')).toBe([...w.nchw].sort().join(''));
    }
    if (facts.inputs.includes('weights')) expect(facts.weights?.length).toBeGreaterThan(0);
    if (facts.window) expect(facts.layout).toBe('spatial');
    if (facts.layout === 'axis') expect(facts.remapAxes).toBeTypeOf('function');
    if (facts.remapAxes) expect(facts.layout).toBe('axis');
    if (facts.constantFold) expect(facts.inputs).toEqual(['activation']);
    expect(facts.optionalInputs ?? 0).toBeLessThan(facts.inputs.length);
    expect(SHAPE_RULES[op]).toBeTypeOf('function');
  });
});
