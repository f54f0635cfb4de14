/**
 * The benchmark's figures as Markdown tables: printed by `npm run bench` and written into
 * bench/README.md between its markers, so the README always shows the latest run.
 */
import { STAGES, type StageTimes } from './conversion.js';
import type { DetectResult } from './detect.js';
import type { MemoryResult } from './memory.js';
import { STAGE_NAMES, type StagesResult } from './stages.js';
import { DETECT_STRATEGY, type ThroughputResult } from './throughput.js';
import type { Comparison, InferenceResult } from './inference.js';
import type { Machine } from './machine.js';
import type { PageResult } from './page.js';
import type { ProcessFigures } from './processes.js';

export interface BenchResults {
  readonly measuredAt: string;
  readonly machine: Machine;
  readonly settings: {
    readonly inferenceRuns: number;
    readonly warmup: number;
    readonly detectRuns: number;
    readonly conversionRuns: number;
    readonly processRuns: number;
    readonly folderImages: number;
    readonly stageRuns: number;
    readonly throughputRounds: number;
    readonly pageRuns: number;
    readonly pageWarmup: number;
  };
  readonly peer: {
    readonly package: string;
    readonly tarballSha256: string;
    readonly models: readonly { readonly model: string; readonly entry: string; readonly sha256: string }[];
  };
  readonly inference: readonly InferenceResult[];
  readonly conversion: readonly StageTimes[];
  readonly processes: ProcessFigures;
  readonly detect: readonly DetectResult[];
  readonly stages: readonly StagesResult[];
  readonly throughput: readonly ThroughputResult[];
  readonly memory: readonly MemoryResult[];
  readonly page: PageResult;
}

const ms = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(2));
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function machineTable(m: Machine, load: string): string {
  return table(
    ['', ''],
    [
      ['CPU', `${m.cpu} (${m.simd.join(', ')})`],
      ['cores', String(m.cores)],
      ['memory', `${m.memoryGiB} GiB`],
      ['OS', m.os],
      ['Node', m.node],
      ['ONNX Runtime', m.onnxruntime],
      ['TFLite runtime', m.tfliteRuntime],
      ['load average (1 min) during the run', load],
    ],
  );
}

export function inferenceTable(rows: readonly InferenceResult[]): string {
  const spread = (c: Comparison | undefined): string => (c ? `${c.load.before}→${c.load.after}` : '');
  return table(
    [
      'model',
      'ORT threads',
      'ours (ms)',
      'peer tf2onnx (ms)',
      'ours / peer',
      'TFLite (ms)',
      'ours / TFLite',
      'ours, NCHW input (ms)',
      'max error vs golden: ours / peer / TFLite',
      'load (vs peer)',
    ],
    rows.map((r) => [
      r.model,
      r.threads === 0 ? 'default' : String(r.threads),
      ms(r.vsPeer.ours.medianMs),
      ms(r.vsPeer.other.medianMs),
      `**${ratio(r.vsPeer.ratio)}**`,
      ms(r.vsTflite?.other.medianMs),
      r.vsTflite ? ratio(r.vsTflite.ratio) : '—',
      `${ms(r.vsNchw.other.medianMs)} (${ratio(1 / r.vsNchw.ratio)}x of NHWC)`,
      [r.parity.ours, r.parity.peer, r.parity.tflite].map((e) => e.toExponential(1)).join(' / '),
      spread(r.vsPeer),
    ]),
  );
}

export function pageTable(result: PageResult): string {
  return table(
    ['model', 'threads', 'page, WASM (ms)', 'onnxruntime-node (ms)', 'page / Node', 'page p10–p90 (ms)', 'Node p10–p90 (ms)', 'load'],
    result.rows.map((r) => [
      r.model,
      r.threads === result.pageThreads ? `${r.threads} (the page's default)` : String(r.threads),
      ms(r.page.medianMs),
      ms(r.node.medianMs),
      `**${ratio(r.ratio)}**`,
      `${ms(r.page.p10Ms)}–${ms(r.page.p90Ms)}`,
      `${ms(r.node.p10Ms)}–${ms(r.node.p90Ms)}`,
      `${r.load.before}→${r.load.after}`,
    ]),
  );
}

export function conversionTable(rows: readonly StageTimes[]): string {
  return table(
    ['model', ...STAGES.map((s) => `${s} (ms)`)],
    rows.map((r) => [r.model, ...STAGES.map((s) => ms(r.ms[s]))]),
  );
}

const FACE_MODELS = ['front', 'back', 'short_range', 'full_range', 'full_range_sparse'];

export function processTable(p: ProcessFigures): string {
  return table(
    ['fresh process', 'median (ms)', 'p10–p90 (ms)'],
    [
      ['`node -e ""`', ms(p.nodeStartMs.medianMs), `${ms(p.nodeStartMs.p10Ms)}–${ms(p.nodeStartMs.p90Ms)}`],
      ['start-up until the converter is loaded', ms(p.converterReadyMs.medianMs), `${ms(p.converterReadyMs.p10Ms)}–${ms(p.converterReadyMs.p90Ms)}`],
      [
        `convert all ${Object.keys(p.perModelMs).length} models to all ${p.artifacts} artifacts (in process)`,
        `**${ms(p.convertAllMs.medianMs)}**`,
        `${ms(p.convertAllMs.p10Ms)}–${ms(p.convertAllMs.p90Ms)}`,
      ],
      ['the same process, spawn to exit', ms(p.convertAllWallMs.medianMs), `${ms(p.convertAllWallMs.p10Ms)}–${ms(p.convertAllWallMs.p90Ms)}`],
      ...Object.entries(p.perModelMs).map(([model, t]) => [`  of which ${model}`, ms(t), '']),
      // The five face models were the whole job before the MediaPipe siblings joined: their sum is the figure to compare with earlier runs.
      [`  of which the five face models (${FACE_MODELS.join(', ')})`, ms(FACE_MODELS.reduce((sum, id) => sum + (p.perModelMs[id] ?? 0), 0)), ''],
      ...Object.entries(p.perStepMs).map(([step, t]) => [
        `  of which ${step === 'read' ? 'reading (all models)' : `${step} (all models, all variants)`}`,
        ms(t),
        '',
      ]),
      [
        'peak RSS: converter loaded / after converting all',
        `${p.peakRss.startupMiB} / ${p.peakRss.convertAllMiB} MiB`,
        p.peakRss.convertAllVmHwmMiB === undefined ? '' : `VmHWM ${p.peakRss.convertAllVmHwmMiB} MiB`,
      ],
    ],
  );
}

export function detectTable(rows: readonly DetectResult[]): string {
  return table(
    ['model', 'image', 'tensor', 'faces', 'decode', 'preprocess', 'inference', 'post-processing', 'end-to-end (ms)', 'inference alone (ms)', 'ratio'],
    rows.map((r) => [
      r.model,
      `${r.image} ${r.width}x${r.height}`,
      r.resize,
      String(r.faces),
      ms(r.stagesMs.decode),
      ms(r.stagesMs.preprocessMs),
      ms(r.stagesMs.inferenceMs),
      ms(r.stagesMs.postprocessMs),
      ms(r.endToEnd.medianMs),
      ms(r.inferenceOnly.medianMs),
      `${(r.endToEnd.medianMs / r.inferenceOnly.medianMs).toFixed(2)}x`,
    ]),
  );
}

/**
 * One row per model and photo: each stage's minimum wall time, then the whole path and the
 * model alone (minimum / median), and their ratio from the minima and from the medians.
 */
export function stagesTable(rows: readonly StagesResult[]): string {
  const both = (f: { minMs: number; medianMs: number }): string => `${ms(f.minMs)} / ${ms(f.medianMs)}`;
  return table(
    [
      'model',
      'photo',
      'faces',
      ...STAGE_NAMES.map((s) => `${s}`),
      'decode → projection, min / median',
      'inference alone, min / median',
      'ratio (min, median)',
      'load',
    ],
    rows.map((r) => [
      r.model,
      r.image,
      String(r.faces),
      ...STAGE_NAMES.map((s) => ms(r.stages[s].minMs)),
      both(r.endToEnd),
      both(r.inferenceAlone),
      `${ratio(r.endToEnd.minMs / r.inferenceAlone.minMs)}x, ${ratio(r.endToEnd.medianMs / r.inferenceAlone.medianMs)}x`,
      `${r.load.before}→${r.load.after}`,
    ]),
  );
}

/** The same stages by their median process CPU time. */
export function stagesCpuTable(rows: readonly StagesResult[]): string {
  return table(
    ['model', 'photo', ...STAGE_NAMES, 'decode → projection', 'inference alone', 'ratio'],
    rows.map((r) => [
      r.model,
      r.image,
      ...STAGE_NAMES.map((s) => ms(r.stages[s].cpuMs)),
      ms(r.endToEnd.cpuMs),
      ms(r.inferenceAlone.cpuMs),
      `${ratio(r.endToEnd.cpuMs / r.inferenceAlone.cpuMs)}x`,
    ]),
  );
}

export function throughputTable(rows: readonly ThroughputResult[]): string {
  return table(
    [
      'model',
      'strategy',
      'ORT threads',
      'images',
      'best round (s)',
      'images/s',
      'CPU per image (ms)',
      'cores busy',
      'inference alone (ms)',
      'wall per image / inference',
      'faces',
      'load',
    ],
    rows.map((r) => [
      r.model,
      r.strategy,
      String(r.ortThreads),
      String(r.images),
      r.seconds.toFixed(2),
      r.imagesPerSecond.toFixed(1),
      ms(r.cpuMsPerImage),
      r.coresBusy.toFixed(2),
      ms(r.inferenceMs),
      `${ratio(r.perImageOverInference)}x`,
      String(r.faces),
      `${r.load.before}→${r.load.after}`,
    ]),
  );
}

export function memoryTable(rows: readonly MemoryResult[]): string {
  const mib = (kib: number): string => (kib / 1024).toFixed(0);
  return table(
    ['model', 'image', 'decode (ms)', 'detect (ms)', 'faces', 'RSS before (MiB)', 'peak RSS (MiB)', 'added (MiB)', 'added per pixel (bytes)'],
    rows.map((r) => [
      r.model,
      `${r.width}x${r.height} JPEG`,
      r.decodeMs.toFixed(0),
      r.detectMs.toFixed(0),
      String(r.faces),
      mib(r.baselineKiB),
      mib(r.peakKiB),
      mib(r.peakKiB - r.baselineKiB),
      (((r.peakKiB - r.baselineKiB) * 1024) / (r.width * r.height)).toFixed(2),
    ]),
  );
}

/** Everything, as the block bench/README.md holds between its markers. */
export function renderResults(r: BenchResults): string {
  const loads = r.inference.flatMap((i) => [i.vsPeer, i.vsTflite, i.vsNchw].flatMap((c) => (c ? [c.load.before, c.load.after] : [])));
  const load = loads.length ? `${Math.min(...loads)}–${Math.max(...loads)}` : '—';
  const s = r.settings;
  return [
    `Measured ${r.measuredAt} with \`npm run bench\`.`,
    '',
    machineTable(r.machine, load),
    '',
    `**Inference**: each ratio is its own A/B race of our NHWC model against one other side, ${s.inferenceRuns} interleaved rounds after ${s.warmup} warm-up rounds, medians; same input for every side (golden case \`${r.inference[0]?.case ?? ''}\`); identical ONNX Runtime session options (sequential, graph optimization 'all'). "ours (ms)" is from the race against the peer.`,
    '',
    inferenceTable(r.inference),
    '',
    `**Conversion stages**: warm medians of ${s.conversionRuns} rounds in one process.`,
    '',
    conversionTable(r.conversion),
    '',
    `**Fresh processes**: medians of ${s.processRuns} runs.`,
    '',
    processTable(r.processes),
    '',
    `**detect, end to end** (1 ORT thread): medians of ${s.detectRuns} interleaved runs, stage times in ms.`,
    '',
    detectTable(r.detect),
    '',
    `**detect, stage by stage** (1 ORT thread, MediaPipe's preprocessing): ${s.stageRuns} rounds, minimum wall time per stage in ms, then the whole path (decode → projection) against the model alone. bench/src/stages.ts says what each stage is.`,
    '',
    stagesTable(r.stages),
    '',
    'The same, median process CPU time (all threads) in ms:',
    '',
    stagesCpuTable(r.stages),
    '',
    `**Throughput** over a folder of ${s.folderImages} JPEG photos (640x480 to 1920x1080, a quarter stored sideways), decode + detect, both cores, best of ${s.throughputRounds} rounds in turn. \`blazeface detect\` uses: ${DETECT_STRATEGY}.`,
    '',
    throughputTable(r.throughput),
    '',
    '**A 100-megapixel photo** in a fresh process: decode, detect (first inference included), peak resident memory.',
    '',
    memoryTable(r.memory),
    '',
    `**The demo page** on onnxruntime-web's WASM build in ${r.page.browser} (headless) against onnxruntime-node, the same thread count and input tensor: ${s.pageRuns} runs each in turns after ${s.pageWarmup} warm-up rounds, medians of the inference alone.`,
    '',
    pageTable(r.page),
  ].join('\n');
}
