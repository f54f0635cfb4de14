import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/models/registry.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'blazeface.js');

/** Builds dist/ once if a test runs before `npm run build` (the CLI runs compiled code). */
export function ensureBuilt(): void {
  if (existsSync(join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'))) return;
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], cwd = PACKAGE_ROOT): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
