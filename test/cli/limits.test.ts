import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';

describe('convert limits a user can raise', () => {
  const dir = mkdtempSync(join(tmpdir(), 'limits-'));

  it.each([
    ['--max-output-bytes', '100000', /would write [0-9,]+ bytes, over the limit of 100,000 bytes \(raise it with --max-output-bytes\)$/],
    ['--max-elements', '1000', /declares shape .*over the limit of 1,000 elements \(raise it with --max-elements\)$/],
  ])('%s %s refuses in one line, exit 2, nothing written', async (flag, value, message) => {
    const out = join(dir, flag);
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--out', out, '--no-parity', flag, value]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(existsSync(out)).toBe(false);
  });

  it('converts when the limit is raised past what the model needs', async () => {
    const result = await runCliInProcess([
      'convert',
      '--model',
      'short_range',
      '--out',
      join(dir, 'ok'),
      '--no-parity',
      '--max-output-bytes',
      '600000',
      '--max-elements',
      '262144',
    ]);
    expect(result.status).toBe(0);
  });
});
