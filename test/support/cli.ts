import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { runProgram } from '../../src/cli/program.js';
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

/** The built CLI in a child process, as a user runs it: exit code, stdout and stderr as a shell sees them. */
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

/**
 * The CLI's program (src/cli/program.ts, what bin/blazeface.js runs) called in this process:
 * the same commands, messages and exit codes, without the 0.15 to 0.5 s of CPU each child
 * process spends loading Node and the CLI. What it does not cover is the process around the
 * program, which runCli tests: main.ts turning the code into the exit status, and real pipes.
 * `env` is set for the run and put back after it.
 */
export async function runCliInProcess(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture(stdout));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture(stderr));
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  process.exitCode = undefined;
  try {
    const code = await runProgram(['node', BIN, ...args]);
    return { status: code ?? Number(process.exitCode ?? 0), stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
