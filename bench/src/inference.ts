/**
 * Inference speed of one model: our ONNX against the peer's tf2onnx conversion on
 * onnxruntime-node (identical session options, the same input tensor), and against the real
 * TFLite runtime. Before timing, each side's outputs are compared with the golden TFLite
 * outputs, so a fast but wrong side (or a side fed the wrong input) cannot go unnoticed.
 */
import { compareArrays } from '../../src/check/compare.js';
import { goldenCases, readGolden, goldenTensor } from '../../src/check/golden.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { loadTfliteReference } from '../../src/runtimes/tflite/tflite-runtime.js';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { getModel, loadModelFile, type ModelId } from '../../src/models/registry.js';
import { loadAverage } from './machine.js';
import type { FetchedPeer } from './peer.js';
import { interleave, summarize, type Contender, type Summary } from './timing.js';

/** The golden case whose input every side gets: a real photo, letterboxed. */
const BENCH_CASE = '1face';

export type InferenceSide = 'ours' | 'peer' | 'tflite' | 'oursNchw';

/** One A/B race: our NHWC model against one other side, interleaved. */
export interface Comparison {
  readonly ours: Summary;
  readonly other: Summary;
  /** Median of ours / median of the other side: below 1, ours is faster. */
  readonly ratio: number;
  /** 1-minute load average before and after the race. */
  readonly load: { readonly before: number; readonly after: number };
}

export interface InferenceResult {
  readonly model: ModelId;
  /** ONNX Runtime intra-op threads; 0 is its default (one per core). TFLite runs single-threaded. */
  readonly threads: number;
  readonly case: string;
  /** The headline: ours against the peer's tf2onnx conversion. */
  readonly vsPeer: Comparison;
  /** Ours against the real TFLite runtime (single-threaded WASM build), in the one-thread round only. */
  readonly vsTflite?: Comparison;
  /** Ours against our NCHW-input variant (a different input contract). */
  readonly vsNchw: Comparison;
  /** max |a-b|/(1+|b|) against the golden TFLite outputs, over both outputs. */
  readonly parity: Readonly<Record<InferenceSide, number>>;
}

export interface InferenceOptions {
  readonly runs: number;
  readonly warmup: number;
  readonly threads: readonly number[];
}

/**
 * Each comparison is its own two-sided race, so a third side cannot bias it: a TFLite run
 * in the same rotation, for one, evicts the caches and adds the same cold-start cost to
 * both ONNX sides, which pulls their ratio towards 1 (measured: 0.64 became 0.68).
 */
export async function benchInference(model: ModelId, peer: FetchedPeer['models'][number], options: InferenceOptions): Promise<InferenceResult[]> {
  const entry = getModel(model);
  const file = loadModelFile(model);
  const ctx = loadModelContext(file);
  const { width, height } = entry.input;
  const input =
    goldenCases(entry)
      .find((c) => c.name === BENCH_CASE)
      ?.makeInput() ?? new Float32Array(0);
  const golden = readGolden(model, BENCH_CASE);
  const oursBytes = convertToOnnx(ctx).bytes;
  const nchwBytes = convertToOnnx(ctx, { nchw: true }).bytes;
  const tflite = await loadTfliteReference(file.bytes, { numThreads: 1 });
  const results: InferenceResult[] = [];
  try {
    for (const threads of options.threads) {
      const ours = await loadOnnx(oursBytes, { threads });
      const oursNchw = await loadOnnx(nchwBytes, { threads });
      const theirs = await loadOnnx(peer.bytes, { threads });
      try {
        const nhwcFeed = { input: { shape: [1, height, width, 3], data: input } };
        const nchwFeed = { input: { shape: [1, 3, height, width], data: nhwcToNchw(input, height, width) } };
        const peerFeed = { [peer.input]: { shape: [1, height, width, 3], data: input } };
        const worst = (regressors: Float32Array | undefined, classificators: Float32Array | undefined): number =>
          Math.max(
            compareArrays(regressors ?? [], goldenTensor(golden, 'regressors')).maxError,
            compareArrays(classificators ?? [], goldenTensor(golden, 'classificators')).maxError,
          );
        const oursOut = await ours.run(nhwcFeed);
        const nchwOut = await oursNchw.run(nchwFeed);
        const peerOut = await theirs.run(peerFeed);
        const tfliteOut = tflite.run(input).outputs;
        const parity: Record<InferenceSide, number> = {
          ours: worst(oursOut.regressors?.data, oursOut.classificators?.data),
          oursNchw: worst(nchwOut.regressors?.data, nchwOut.classificators?.data),
          peer: worst(concat(peerOut, peer.outputs.regressors), concat(peerOut, peer.outputs.classificators)),
          tflite: worst(tfliteOut.get(entry.outputs.regressors ?? '')?.data, tfliteOut.get(entry.outputs.classificators ?? '')?.data),
        };
        const race = async (other: Contender): Promise<Comparison> => {
          const before = loadAverage();
          const timings = await interleave([{ name: 'ours', run: () => ours.run(nhwcFeed) }, other], options);
          const a = timings.get('ours') ?? summarize([]);
          const b = timings.get(other.name) ?? summarize([]);
          return { ours: a, other: b, ratio: a.medianMs / b.medianMs, load: { before, after: loadAverage() } };
        };
        const vsPeer = await race({ name: 'peer', run: () => theirs.run(peerFeed) });
        // The TFLite build is single-threaded: it races only in the one-thread round.
        const vsTflite = threads === 1 ? await race({ name: 'tflite', run: () => tflite.run(input) }) : undefined;
        const vsNchw = await race({ name: 'oursNchw', run: () => oursNchw.run(nchwFeed) });
        results.push({ model, threads, case: BENCH_CASE, vsPeer, vsTflite, vsNchw, parity });
      } finally {
        await Promise.all([ours.release(), oursNchw.release(), theirs.release()]);
      }
    }
  } finally {
    tflite.dispose();
  }
  return results;
}

/** The peer's outputs for one head, joined in anchor order. */
function concat(out: Readonly<Record<string, { readonly data: Float32Array }>>, names: readonly string[]): Float32Array {
  const parts = names.map((n) => out[n]?.data ?? new Float32Array(0));
  const joined = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    joined.set(p, offset);
    offset += p.length;
  }
  return joined;
}

function nhwcToNchw(x: Float32Array, height: number, width: number): Float32Array {
  const out = new Float32Array(x.length);
  const plane = height * width;
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = x[p * 3 + c] as number;
  return out;
}
