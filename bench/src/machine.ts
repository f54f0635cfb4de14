import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { TFLITE_RUNTIME_VERSION } from '../../src/runtimes/tflite/tflite-runtime.js';

export interface Machine {
  readonly cpu: string;
  /** The vector extensions that decide ONNX Runtime's NCHWc block (8 with AVX2, 16 with AVX-512). */
  readonly simd: readonly string[];
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly onnxruntime: string;
  readonly tfliteRuntime: string;
}

const require = createRequire(import.meta.url);

/** What the figures were measured on, as the README states it. */
export function describeMachine(): Machine {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const field = (name: string): string | undefined => cpuinfo.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  const ort = require('onnxruntime-node/package.json') as { version: string };
  return {
    cpu: field('model name') ?? cpus()[0]?.model ?? 'unknown',
    simd: ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512_vnni'].filter((f) => flags.has(f)),
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${process.arch}`,
    node: process.version,
    onnxruntime: `onnxruntime-node ${ort.version}`,
    tfliteRuntime: TFLITE_RUNTIME_VERSION,
  };
}

/** The 1-minute load average: on a shared machine it says how much to trust a figure. */
export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
