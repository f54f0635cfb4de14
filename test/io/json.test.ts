import { describe, expect, it } from 'vitest';
import { parseJsonFile } from '../../src/io/json.js';

describe('parseJsonFile', () => {
  it('refuses deep nesting before parsing, whatever the brackets inside strings', () => {
    expect(() => parseJsonFile(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'deep.json')).toThrow(/^JSON nested deeper than 64 levels$/);
    expect(parseJsonFile(`{"a": "[[[[[[\\"[[[", "b": [[1]]}`, 'ok.json', 3)).toEqual({ a: '[[[[[["[[[', b: [[1]] });
  });

  it('names the file when the text is not JSON', () => {
    expect(() => parseJsonFile('{', 'bad.json')).toThrow(/^not valid JSON/);
  });
});
