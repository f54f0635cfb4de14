/**
 * The demo page: photos (picked, dropped, or webcam frames) through web/pipeline.ts on
 * onnxruntime-web, drawn with boxes, named keypoints, scores and per-stage timings. It also
 * exposes `window.blazefaceDemo` so test/web/browser.test.ts can drive the same code.
 *
 * The runtime: onnxruntime-web's WebGPU build when the browser offers a WebGPU adapter, else
 * its WASM build, each imported at run time from ./ort/ where the server serves the installed
 * onnxruntime-web's own files, so its JavaScript and its .wasm always come from one version.
 * `?backend=wasm` asks for WASM; the page says which backend ran and why.
 */
import type * as Ort from 'onnxruntime-web';
import type { AnchorTable, Detection } from '../src/core.js';
import { detect, modelAnchors, type PipelineResult, type WebModel } from './pipeline.js';

interface LoadedModel {
  readonly model: WebModel;
  readonly anchors: AnchorTable;
  readonly session: Ort.InferenceSession;
  readonly ort: typeof Ort;
  /** The execution provider this model's session runs on. */
  readonly backend: BackendName;
  readonly loadMs: number;
}

interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly channels: 4;
  readonly bitmap: ImageBitmap;
}

/** The little of WebGPU the page touches: TypeScript's DOM library does not describe WebGPU. */
interface WebGpu {
  requestAdapter(): Promise<{ readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string } } | null>;
}

type BackendName = 'webgpu' | 'wasm';

/** Which execution provider runs the models, and why that one. */
interface Backend {
  readonly name: BackendName;
  readonly reason: string;
}

/** onnxruntime-web's builds, as its package names them: WebGPU with the WASM CPU provider beside it, or WASM alone. */
const ORT_BUILDS: Readonly<Record<BackendName, string>> = { webgpu: 'ort.webgpu.min.mjs', wasm: 'ort.wasm.min.mjs' };

const params = new URLSearchParams(location.search);
// Threads need SharedArrayBuffer, which exists only when the server's COOP/COEP headers apply.
// `?threads=N` overrides the count, to compare builds.
const requestedThreads = Number(params.get('threads'));
const numThreads = !crossOriginIsolated
  ? 1
  : Number.isInteger(requestedThreads) && requestedThreads > 0
    ? requestedThreads
    : Math.min(4, navigator.hardwareConcurrency || 1);

async function chooseBackend(): Promise<Backend> {
  if (params.get('backend') === 'wasm') return { name: 'wasm', reason: 'asked for with ?backend=wasm' };
  const gpu = (navigator as Navigator & { readonly gpu?: WebGpu }).gpu;
  if (!gpu) return { name: 'wasm', reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { name: 'wasm', reason: 'WebGPU offers no adapter here (no usable GPU)' };
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture, info?.description].filter((x) => x).join(' ');
  return { name: 'webgpu', reason: `WebGPU adapter${name ? `: ${name}` : ''}` };
}

const runtimes = new Map<BackendName, Promise<typeof Ort>>();

/** One onnxruntime-web build, imported once from the server's copy of the installed package. */
function runtime(name: BackendName): Promise<typeof Ort> {
  let loading = runtimes.get(name);
  if (!loading) {
    const base = new URL('./ort/', location.href).href;
    loading = (import(/* the server's file, not a bundled module */ `${base}${ORT_BUILDS[name]}`) as Promise<typeof Ort>).then((ort) => {
      ort.env.wasm.wasmPaths = base;
      ort.env.wasm.numThreads = numThreads;
      return ort;
    });
    runtimes.set(name, loading);
  }
  return loading;
}

let backend: Backend = { name: 'wasm', reason: 'not chosen yet' };

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $<HTMLDivElement>('status');
const select = $<HTMLSelectElement>('model');
const results = $<HTMLDivElement>('results');
const loaded = new Map<string, Promise<LoadedModel>>();
let models: WebModel[] = [];

const KEYPOINT_COLOURS = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4'];

async function loadModel(id: string): Promise<LoadedModel> {
  let entry = loaded.get(id);
  if (!entry) {
    entry = (async () => {
      const model = models.find((m) => m.id === id);
      if (!model) throw new Error(`no model ${id} (known: ${models.map((m) => m.id).join(', ')})`);
      const started = performance.now();
      const response = await fetch(model.onnx);
      if (!response.ok) throw new Error(`${model.onnx}: HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      let ort = await runtime(backend.name);
      let session: Ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(bytes, { executionProviders: [backend.name], graphOptimizationLevel: 'all' });
      } catch (error) {
        if (backend.name !== 'webgpu') throw error;
        // A WebGPU adapter that cannot run a session (device lost, limits) leaves WASM, for every model after this one too.
        backend = { name: 'wasm', reason: `the WebGPU session failed: ${error instanceof Error ? error.message : String(error)}` };
        showBackend();
        ort = await runtime('wasm');
        session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      }
      return { model, anchors: modelAnchors(model), session, ort, backend: backend.name, loadMs: performance.now() - started };
    })();
    loaded.set(id, entry);
  }
  return entry;
}

async function run(loadedModel: LoadedModel, image: DecodedImage): Promise<PipelineResult> {
  const { model, anchors, session, ort } = loadedModel;
  return detect(model, anchors, image, async (tensor, shape) => {
    const out = await session.run({ input: new ort.Tensor('float32', tensor, shape) });
    const regressors = out.regressors;
    const classificators = out.classificators;
    if (!regressors || !classificators) throw new Error(`${model.onnx}: outputs are ${Object.keys(out).join(', ')}, expected regressors and classificators`);
    return { regressors: regressors.data as Float32Array, classificators: classificators.data as Float32Array };
  });
}

async function decode(source: Blob | ImageBitmapSource): Promise<DecodedImage> {
  // No colour management: the pixels are the file's, as the Node decoders read them.
  const bitmap = await createImageBitmap(source as ImageBitmapSource, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas');
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: bitmap.width, height: bitmap.height, data: new Uint8Array(pixels.data.buffer), channels: 4, bitmap };
}

/** CSS width the page shows a result at (index.html); small images are drawn larger so labels stay sharp. */
const DISPLAY_WIDTH = 420;

function draw(canvas: HTMLCanvasElement, image: DecodedImage, detections: readonly Detection[]): void {
  const scale = Math.max(1, DISPLAY_WIDTH / image.width);
  canvas.width = Math.round(image.width * scale);
  canvas.height = Math.round(image.height * scale);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.drawImage(image.bitmap, 0, 0, canvas.width, canvas.height);
  // Canvas pixels per CSS pixel once the canvas is shown DISPLAY_WIDTH wide.
  const unit = canvas.width / DISPLAY_WIDTH;
  const font = 11 * unit;
  context.font = `${font}px system-ui, sans-serif`;
  context.lineWidth = 2 * unit;
  for (const d of detections) {
    const [x, y, width, height] = [d.boxPixels.x * scale, d.boxPixels.y * scale, d.boxPixels.width * scale, d.boxPixels.height * scale];
    context.strokeStyle = '#00e676';
    context.strokeRect(x, y, width, height);
    const label = d.score.toFixed(3);
    context.fillStyle = '#00e676';
    context.fillRect(x, y - font - 3 * unit, context.measureText(label).width + 6 * unit, font + 3 * unit);
    context.fillStyle = '#000';
    context.fillText(label, x + 3 * unit, y - 3 * unit);
    d.keypoints.forEach((k, i) => {
      context.fillStyle = KEYPOINT_COLOURS[i % KEYPOINT_COLOURS.length]!;
      context.beginPath();
      context.arc(k.xPixels * scale, k.yPixels * scale, 2.5 * unit, 0, 2 * Math.PI);
      context.fill();
    });
  }
}

/** The keypoint colours with their names, under each picture. */
function keypointLegend(detections: readonly Detection[]): string {
  const names = detections[0]?.keypoints.map((k) => k.name) ?? [];
  return names.map((name, i) => `<span style="color:${KEYPOINT_COLOURS[i % KEYPOINT_COLOURS.length]}">●</span> ${name.replaceAll('_', ' ')}`).join(' &nbsp; ');
}

function timingTable(current: LoadedModel, result: PipelineResult): string {
  const loadMs = current.loadMs;
  const t = result.timings;
  const rows: [string, number][] = [
    ['model load (once)', loadMs],
    ['preprocess', t.preprocessMs],
    ['inference', t.inferenceMs],
    ['decode + NMS', t.postprocessMs],
  ];
  return `<table>${rows.map(([name, ms]) => `<tr><th>${name}</th><td>${ms.toFixed(2)} ms</td></tr>`).join('')}<tr><th>backend</th><td>${current.backend}</td></tr></table>`;
}

async function show(name: string, source: Blob | ImageBitmapSource, into?: HTMLElement): Promise<void> {
  const current = await loadModel(select.value);
  const image = await decode(source);
  present(name, current, image, await run(current, image), into);
  image.bitmap.close();
}

/** Draws one result into `into`, or into a new figure at the end of the results. */
function present(name: string, current: LoadedModel, image: DecodedImage, result: PipelineResult, into?: HTMLElement): void {
  const figure = into ?? document.createElement('figure');
  figure.innerHTML = '';
  const canvas = document.createElement('canvas');
  draw(canvas, image, result.detections);
  const caption = document.createElement('figcaption');
  const faces = result.detections.map((d) => d.score.toFixed(3)).join(', ');
  caption.innerHTML = `<b>${escapeHtml(name)}</b> ${image.width}x${image.height}, ${current.model.id}: ${result.detections.length} face(s) ${faces}<br>${keypointLegend(result.detections)}${timingTable(current, result)}`;
  figure.append(canvas, caption);
  if (!into) results.append(figure);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function showFiles(files: readonly File[]): Promise<void> {
  const images = files.filter((f) => f.type.startsWith('image/'));
  status.textContent = `running ${select.value} on ${images.length} image(s)…`;
  for (const file of images) await show(file.webkitRelativePath || file.name, file);
  status.textContent = `${images.length} image(s) with ${select.value}; ${runtimeNote()}`;
}

/** The backend line at the top of the page: which execution provider runs the models, and why. */
function showBackend(): void {
  $<HTMLElement>('backend').textContent = `${backend.name === 'webgpu' ? 'WebGPU' : 'WASM'} (${backend.reason})`;
}

function runtimeNote(): string {
  const name = backend.name === 'webgpu' ? 'WebGPU' : `WASM, ${numThreads} thread(s)`;
  return `onnxruntime-web ${name} (${backend.reason}); cross-origin isolated: ${crossOriginIsolated}`;
}

/** Files of a drop, folders walked recursively (webkitGetAsEntry is how a dropped folder is read). */
async function droppedFiles(items: DataTransferItemList): Promise<File[]> {
  const files: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) files.push(await new Promise<File>((done, fail) => (entry as FileSystemFileEntry).file(done, fail)));
    else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((done, fail) => reader.readEntries(done, fail));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  const entries = [...items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  for (const entry of entries) await walk(entry);
  return files;
}

async function webcam(): Promise<void> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true });
  const video = document.createElement('video');
  video.srcObject = stream;
  video.muted = true;
  await video.play();
  const figure = document.createElement('figure');
  results.prepend(figure);
  const loop = async (): Promise<void> => {
    if (!stream.active) return;
    await show('webcam', video, figure);
    requestAnimationFrame(() => void loop());
  };
  await loop();
}

function fail(error: unknown): void {
  status.textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
}

async function start(): Promise<void> {
  backend = await chooseBackend();
  showBackend();
  const response = await fetch('models.json');
  models = (await response.json()) as WebModel[];
  select.innerHTML = models.map((m) => `<option value="${m.id}">${m.id}: ${escapeHtml(m.title)}</option>`).join('');
  const preferred = models.find((m) => m.id === 'short_range');
  if (preferred) select.value = preferred.id;
  $<HTMLInputElement>('files').addEventListener('change', (event) => {
    const files = [...((event.target as HTMLInputElement).files ?? [])];
    showFiles(files).catch(fail);
  });
  const drop = $<HTMLSpanElement>('drop');
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (event.dataTransfer) droppedFiles(event.dataTransfer.items).then(showFiles).catch(fail);
  });
  $<HTMLButtonElement>('webcam').addEventListener('click', () => webcam().catch(fail));
  status.textContent = `ready: ${models.length} face model(s); ${runtimeNote()}`;
}

/** What the browser test calls: one model on one image URL, with everything needed to compare. */
async function runUrl(modelId: string, url: string, annotate: boolean): Promise<object> {
  select.value = modelId;
  const current = await loadModel(modelId);
  const blob = await (await fetch(url)).blob();
  const image = await decode(blob);
  const result = await run(current, image);
  // The drawing shows this very run: a second inference would cost a WebGPU model on a CPU adapter seconds.
  if (annotate) present(`${url.split('/').pop()}`, current, image, result);
  image.bitmap.close();
  return {
    backend: current.backend,
    width: image.width,
    height: image.height,
    tensor: base64(result.prepared.tensor),
    letterbox: result.prepared.letterbox,
    regressors: base64(result.outputs.regressors),
    classificators: base64(result.outputs.classificators),
    detections: result.detections,
    timings: result.timings,
  };
}

/** Times `repeats` inferences of one model on the given image, after `warmup` untimed runs (bench/src/page.ts calls it). */
async function timeInference(modelId: string, url: string, repeats: number, warmup = 1): Promise<number[]> {
  const current = await loadModel(modelId);
  const image = await decode(await (await fetch(url)).blob());
  for (let i = 0; i < warmup; i++) await run(current, image);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push((await run(current, image)).timings.inferenceMs);
  image.bitmap.close();
  return times;
}

function base64(array: Float32Array): string {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

const ready = start();
ready.catch(fail);
Object.assign(window, {
  blazefaceDemo: {
    ready,
    runUrl,
    timeInference,
    info: () => ({ backend: backend.name, reason: backend.reason, numThreads, crossOriginIsolated, models: models.map((m) => m.id) }),
  },
});
