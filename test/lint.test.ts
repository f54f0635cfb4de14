import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

/** Lint and formatting are part of the suite: Biome checks every source file as CI would. */
it('passes biome ci (lint rules and formatting, biome.json)', () => {
  const result = spawnSync('npx', ['biome', 'ci', '--colors=off'], { encoding: 'utf8' });
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
});
