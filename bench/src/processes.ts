/**
 * Fresh-process figures: how long Node takes to start, how long the converter takes to load,
 * how long one process takes to convert every model to every artifact, and how much memory
 * that process peaks at. Each run spawns new processes (nothing is warm), in rotation.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BlazefaceError } from '../../src/ir/errors.js';
import type { ChildReport } from './child.js';
import { summarize, type Summary } from './timing.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface ProcessFigures {
  readonly runs: number;
  /** Wall time of `node -e ''`: the floor any CLI call pays. */
  readonly nodeStartMs: Summary;
  /** From process start until the converter's modules are loaded. */
  readonly converterReadyMs: Summary;
  /** Converting all models to all artifacts inside the process, start-up excluded. */
  readonly convertAllMs: Summary;
  /** The whole convert-all process, spawn to exit. */
  readonly convertAllWallMs: Summary;
  /** Medians per model of the convert-all runs (read plus all artifacts). */
  readonly perModelMs: Readonly<Record<string, number>>;
  /** Medians per step (reading, each format) of the convert-all runs. */
  readonly perStepMs: Readonly<Record<string, number>>;
  readonly artifacts: number;
  readonly artifactBytes: number;
  readonly peakRss: {
    /** A process that only loaded the converter. */
    readonly startupMiB: number;
    /** The convert-all process (getrusage maxrss). */
    readonly convertAllMiB: number;
    /** The same from /proc (VmHWM). */
    readonly convertAllVmHwmMiB?: number;
  };
}

export function benchProcesses(runs: number): ProcessFigures {
  const nodeStart: number[] = [];
  const ready: number[] = [];
  const convert: number[] = [];
  const wall: number[] = [];
  const startupRss: number[] = [];
  const convertRss: number[] = [];
  const convertHwm: number[] = [];
  const perModel: Record<string, number[]> = {};
  const perStep: Record<string, number[]> = {};
  let artifacts = 0;
  let artifactBytes = 0;
  for (let i = 0; i < runs; i++) {
    nodeStart.push(spawnTimed(['-e', '']).ms);
    const startup = child('startup');
    ready.push(startup.report.readyMs);
    startupRss.push(startup.report.maxRssKiB);
    const full = child('convert-all');
    wall.push(full.ms);
    convertRss.push(full.report.maxRssKiB);
    if (full.report.vmHwmKiB !== undefined) convertHwm.push(full.report.vmHwmKiB);
    const result = full.report.convert;
    if (!result) throw new BlazefaceError('the convert-all child reported no conversion');
    convert.push(result.totalMs);
    for (const [model, ms] of Object.entries(result.models)) perModel[model] = [...(perModel[model] ?? []), ms];
    for (const [step, ms] of Object.entries(result.steps)) perStep[step] = [...(perStep[step] ?? []), ms];
    artifacts = result.artifacts;
    artifactBytes = result.bytes;
  }
  const mib = (kib: readonly number[]): number => Math.round((summarize(kib).medianMs / 1024) * 10) / 10;
  return {
    runs,
    nodeStartMs: summarize(nodeStart),
    converterReadyMs: summarize(ready),
    convertAllMs: summarize(convert),
    convertAllWallMs: summarize(wall),
    perModelMs: medians(perModel),
    perStepMs: medians(perStep),
    artifacts,
    artifactBytes,
    peakRss: { startupMiB: mib(startupRss), convertAllMiB: mib(convertRss), convertAllVmHwmMiB: convertHwm.length ? mib(convertHwm) : undefined },
  };
}

function medians(samples: Readonly<Record<string, readonly number[]>>): Record<string, number> {
  return Object.fromEntries(Object.entries(samples).map(([key, ms]) => [key, summarize(ms).medianMs]));
}

function spawnTimed(args: readonly string[]): { readonly ms: number; readonly stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new BlazefaceError(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr.trim()}`);
  return { ms, stdout: result.stdout };
}

function child(job: 'startup' | 'convert-all'): { readonly ms: number; readonly report: ChildReport } {
  const { ms, stdout } = spawnTimed([CHILD, job]);
  return { ms, report: JSON.parse(stdout) as ChildReport };
}
