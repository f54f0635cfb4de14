import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/models/registry.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'blazeface.js');

/** Builds dist/ once if a test runs before `npm run build` (the CLI runs compiled code; the package ships the built page). */
export function ensureBuilt(): void {
  if (existsSync(join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js')) && existsSync(join(PACKAGE_ROOT, 'dist', 'web', 'main.js'))) return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
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

/** The same without blocking, so CLI runs can overlap other work (a browser starting). */
export function runCliAsync(args: readonly string[], cwd = PACKAGE_ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
