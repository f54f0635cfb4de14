import type { GoldenCase } from '../check/golden.js';
import type { ParityObserver, ParityRow } from '../check/onnx-parity.js';
import type { ModelContext } from '../convert/model-context.js';
import { groupDigits } from '../ir/digits.js';

export const FORMATS = ['onnx', 'coreml', 'mlpackage', 'weights'] as const;
export type Format = (typeof FORMATS)[number];

export const PRECISIONS = ['fp16', 'fp32'] as const;

/** The convert flags that shape a format's output (checkFlags refuses one that none of the chosen formats takes). */
export interface VariantFlags {
  readonly decode?: boolean;
  readonly preprocess?: boolean;
  readonly nchw?: boolean;
  readonly raw?: boolean;
  readonly fp16?: boolean;
  readonly seedCompatible?: boolean;
  /** mlpackage only; fp16 when not given. */
  readonly precision?: (typeof PRECISIONS)[number];
}

/** One format's output: the files it writes (relative to the output folder), its summary line and its parity check. */
export interface Converted {
  readonly format: Format;
  /** The artifact's name in messages: its file or folder name. */
  readonly name: string;
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly summary: string;
  /** Runs on onnxruntime-node, an optional peer dependency. */
  readonly needsOnnxRuntime: boolean;
  /** Parity against the golden outputs on the given cases, run after the files are written; `observe` sees every case's outputs. */
  readonly parity: (
    cases: readonly GoldenCase[],
    observe?: ParityObserver,
  ) => Promise<{ readonly title: string; readonly rows: readonly ParityRow[]; readonly bound: (row: ParityRow) => number }>;
}

/** Converts a loaded model to one format; `dir` is the output folder the summary names. */
export type FormatConverter = (ctx: ModelContext, flags: VariantFlags, dir: string) => Converted;

export function size(bytes: Uint8Array | number): string {
  return `${groupDigits(typeof bytes === 'number' ? bytes : bytes.byteLength)} bytes`;
}
