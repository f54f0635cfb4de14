/**
 * Entry point of the benchmark's child processes: `node dist/bench/src/child.js <job>`.
 * `startup` only loads the converter, `convert-all` also runs convertAll(). It prints one
 * JSON line: when the converter was loaded (ms since the process started), the job's time and
 * the process's peak resident memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { convertAll, type ConvertAllResult } from './convert-all.js';

export interface ChildReport {
  /** Node's start-up plus loading the converter's modules: ms from process start to this module's body. */
  readonly readyMs: number;
  readonly convert?: ConvertAllResult;
  /** Peak resident set size (getrusage ru_maxrss), KiB. */
  readonly maxRssKiB: number;
  /** The kernel's high-water mark of resident memory (VmHWM), KiB, where /proc exists. */
  readonly vmHwmKiB?: number;
}

const readyMs = performance.now();
const job = process.argv[2];
if (job !== 'startup' && job !== 'convert-all') {
  process.stderr.write(`usage: child.js startup|convert-all\n`);
  process.exit(2);
}
const convert = job === 'convert-all' ? convertAll() : undefined;
const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
const hwm = status.match(/^VmHWM:\s*(\d+) kB$/m)?.[1];
const report: ChildReport = { readyMs, convert, maxRssKiB: process.resourceUsage().maxRSS, vmHwmKiB: hwm === undefined ? undefined : Number(hwm) };
process.stdout.write(`${JSON.stringify(report)}\n`);
