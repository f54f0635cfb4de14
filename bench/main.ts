/**
 * `npm run bench`: measures conversion (stages per model, fresh-process start-up, all models
 * to all artifacts, peak memory), inference of our ONNX against the peer's tf2onnx
 * conversion and the real TFLite runtime, end-to-end `detect`, and the demo page's inference
 * in headless chromium against onnxruntime-node. Prints the figures as it
 * goes; a full run also writes bench/results.json and the figures block of bench/README.md.
 *
 *   npm run bench -- [--runs 300] [--only inference,conversion,processes,detect,stages,throughput,memory,page]
 *
 * `--only` runs just those sections and writes nothing, for quick checks while working.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchConversion, type StageTimes } from './src/conversion.js';
import { benchDetect, type DetectResult } from './src/detect.js';
import { benchMemory, type MemoryResult } from './src/memory.js';
import { benchStages, FACE_MODELS, stagePhotos, type StagesResult } from './src/stages.js';
import { benchThroughput, DETECT_STRATEGY, type ThroughputResult } from './src/throughput.js';
import { makeFolder } from './src/photos.js';
import { benchInference, type InferenceResult } from './src/inference.js';
import { describeMachine, loadAverage } from './src/machine.js';
import { fetchPeer } from './src/peer.js';
import { benchPage, type PageResult } from './src/page.js';
import { benchProcesses, type ProcessFigures } from './src/processes.js';
import {
  conversionTable,
  detectTable,
  inferenceTable,
  machineTable,
  memoryTable,
  pageTable,
  processTable,
  renderResults,
  stagesCpuTable,
  stagesTable,
  throughputTable,
  type BenchResults,
} from './src/report.js';
import { BlazefaceError } from '../src/ir/errors.js';
import { MODEL_IDS, PACKAGE_ROOT } from '../src/models/registry.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { useDevData } from '../scripts/dev-data.js';

useDevData();

const SECTIONS = ['conversion', 'processes', 'inference', 'detect', 'stages', 'throughput', 'memory', 'page'] as const;
type Section = (typeof SECTIONS)[number];

const BENCH_DIR = join(PACKAGE_ROOT, 'bench');
const README = join(BENCH_DIR, 'README.md');
const BEGIN = '<!-- bench:begin (written by npm run bench) -->';
const END = '<!-- bench:end -->';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' }, only: { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new BlazefaceError(`--runs must be a positive integer, got ${values.runs}`);
const only = values.only?.split(',').map((s) => s.trim());
for (const s of only ?? [])
  if (!(SECTIONS as readonly string[]).includes(s)) throw new BlazefaceError(`unknown section '${s}' (known: ${SECTIONS.join(', ')})`);
const wanted = (s: Section): boolean => !only || only.includes(s);
const settings = {
  inferenceRuns: runs,
  warmup: 30,
  detectRuns: 100,
  conversionRuns: 10,
  processRuns: 5,
  folderImages: 500,
  stageRuns: 200,
  throughputRounds: 2,
  pageRuns: 30,
  pageWarmup: 5,
};

const print = (title: string, body: string): void => void process.stdout.write(`\n## ${title}\n\n${body}\n`);
const machine = describeMachine();
print('Machine', machineTable(machine, String(loadAverage())));

let conversion: StageTimes[] = [];
if (wanted('conversion')) {
  conversion = benchConversion({ runs: settings.conversionRuns, warmup: 3 });
  print('Conversion stages (warm medians, ms)', conversionTable(conversion));
}

let processes: ProcessFigures | undefined;
if (wanted('processes')) {
  processes = benchProcesses(settings.processRuns);
  print('Fresh processes', processTable(processes));
}

const peer = fetchPeer(join(PACKAGE_ROOT, '.cache', 'bench', 'peer'));
let inference: InferenceResult[] = [];
if (wanted('inference')) {
  for (const model of peer.models)
    inference = [...inference, ...(await benchInference(model.model, model, { runs, warmup: settings.warmup, threads: [1, 0] }))];
  print(`Inference (median of ${runs} interleaved runs)`, inferenceTable(inference));
}

let detect: DetectResult[] = [];
if (wanted('detect')) {
  for (const model of MODEL_IDS.filter((id) => FACE_MODELS.includes(id)))
    detect = [...detect, ...(await benchDetect(model, { runs: settings.detectRuns, warmup: 10, threads: 1, resize: ['mediapipe', 'bilinear'] }))];
  print('detect, end to end (1 ORT thread, medians)', detectTable(detect));
}

let stages: StagesResult[] = [];
let throughput: ThroughputResult[] = [];
let memory: MemoryResult[] = [];
if (wanted('stages') || wanted('throughput') || wanted('memory')) {
  const scratch = mkdtempSync(join(tmpdir(), 'blazeface-bench-photos-'));
  // A private cache folder: the shared cache is keyed by converter version, not by its code.
  const cacheDir = join(scratch, 'cache');
  try {
    if (wanted('stages')) {
      const photos = await stagePhotos(scratch);
      for (const model of MODEL_IDS.filter((id) => FACE_MODELS.includes(id)))
        stages = [...stages, ...(await benchStages(model, photos, { runs: settings.stageRuns, warmup: 20, cacheDir }))];
      print('detect, stage by stage (1 ORT thread): minimum wall time, ms', stagesTable(stages));
      print('detect, stage by stage: median process CPU time, ms', stagesCpuTable(stages));
    }
    if (wanted('throughput')) {
      const files = await makeFolder(join(scratch, 'folder'), settings.folderImages);
      for (const model of ['full_range', 'short_range', 'back'] as const)
        throughput = [...throughput, ...(await benchThroughput(model, files, cacheDir, settings.throughputRounds))];
      print(`Throughput over a folder of ${settings.folderImages} photos (decode + detect); detect uses: ${DETECT_STRATEGY}`, throughputTable(throughput));
    }
    if (wanted('memory')) {
      memory = await benchMemory(scratch);
      print('A 100-megapixel photo: time and peak memory', memoryTable(memory));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

let page: PageResult | undefined;
if (wanted('page')) {
  page = await benchPage({ runs: settings.pageRuns, warmup: settings.pageWarmup });
  print(
    `The demo page on WASM in ${page.browser} against onnxruntime-node (same threads, same tensor; medians of ${settings.pageRuns} runs in turns)`,
    pageTable(page),
  );
}

if (!only && processes && page) {
  const results: BenchResults = {
    measuredAt: new Date().toISOString(),
    machine,
    settings,
    peer: { package: peer.package, tarballSha256: peer.tarballSha256, models: peer.models.map(({ model, entry, sha256 }) => ({ model, entry, sha256 })) },
    inference,
    conversion,
    processes,
    detect,
    stages,
    throughput,
    memory,
    page,
  };
  writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const readme = readFileSync(README, 'utf8');
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new BlazefaceError(`has no figures block (${BEGIN} ... ${END})`, README);
  writeFileSync(README, `${readme.slice(0, begin + BEGIN.length)}\n${renderResults(results)}\n${readme.slice(end)}`);
  process.stdout.write(`\nwrote bench/results.json and the figures in bench/README.md\n`);
}
