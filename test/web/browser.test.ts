/**
 * The demo page and the HTML reports in a real browser: Debian's chromium (headless, driven by
 * puppeteer-core, no browser download), launched once for every check.
 *
 * The page: on a browser without WebGPU (navigator.gpu hidden, the fallback path) it runs every
 * face model on WASM on the seed images and the photos; each run's preprocessed tensor comes
 * back from the page, and the Node side runs onnxruntime-node on that very tensor and decodes
 * with the same core, so any difference is the runtime's: same number of faces, boxes and
 * keypoints within 1e-5. A page whose WebGPU has no adapter falls back the same way. The
 * browser also gets SwiftShader's WebGPU adapter (Vulkan on the CPU: chromium's
 * --use-webgpu-adapter=swiftshader), so the WebGPU path runs too, on models that together use
 * every operator of the face models, on one image, checked the same way; no real GPU is
 * involved. Prints the bytes the page loads per backend and saves screenshots. How fast the
 * page infers against Node is a benchmark, not a check: `npm run bench -- --only page`.
 *
 * The reports: `parity --html` and `convert --html` pages open from file: URLs, fetch nothing,
 * log no error, their plots render, and every picture of the golden images decodes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type onnxProto from 'onnx-proto';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection, LetterboxTransform } from '../../src/core.js';
import { cachedOnnx } from '../../src/detect/onnx-cache.js';
import { loadModelFile, PACKAGE_ROOT } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { loadOnnx, type OnnxRunner } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { buildWeb, type WebBuild } from '../../src/serve/build-web.js';
import { type RunningWebServer, startWebServer, webModelList } from '../../src/serve/web-server.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';
import { finish, modelAnchors, type WebModel } from '../../web/pipeline.js';
import { type CliResult, runCliAsync } from '../support/cli.js';

const onnx = (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** SwiftShader's WebGPU adapter: chromium's CPU implementation of Vulkan, so WebGPU exists without a GPU. */
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];
/**
 * Flags that change what the checks cost, not what runs or what it computes. Chromium CPU of
 * the WebGPU test (two models), measured on this file: 29 s with neither of the first and
 * last, 22 s with the first alone, 21 s with the last alone, 8 s with both; the whole launch
 * 50 s against 23 s.
 */
const CHEAPER_FLAGS = [
  // Dawn zero-fills a compute shader's workgroup memory. With this Vulkan extension it hands
  // SwiftShader an initializer, which SwiftShader compiles as one store per array element, so
  // each of onnxruntime-web's tiled kernels became thousands of instructions for LLVM; without
  // it Dawn's shader compiler writes the same zeros in a loop, so WebGPU's guarantee stays.
  '--disable-dawn-features=use_vulkan_zero_initialize_workgroup_memory_extension',
  // Dawn's robustness transform wraps every buffer access of a shader in a bounds clamp, which
  // LLVM then compiles on the CPU: the WebGPU test's chromium CPU fell from 10.5 s to 8.7 s
  // without it (two paired runs on a loaded machine). A clamp changes only an access out of
  // bounds, which a correct kernel does not make; the outputs are still checked against
  // onnxruntime-node's.
  '--enable-dawn-features=disable_robustness',
  // V8 keeps WebAssembly on its baseline compiler: optimizing onnxruntime-web's 15 MB (WASM)
  // and 29 MB (WebGPU) modules in the background costs more CPU than a few inferences per
  // model gain from it. WebAssembly computes the same in both tiers; the bench times the page
  // with V8's defaults.
  '--js-flags=--liftoff-only',
];
const FACE_MODELS = ['front', 'back', 'short_range', 'full_range', 'full_range_sparse'];
/**
 * On WebGPU, models that together use every operator of the face models (the WebGPU test
 * checks that on the converted ONNX): SwiftShader runs WebGPU on the CPU and compiles each
 * model's kernels first, seconds of CPU per model, so a model whose operators are all
 * covered adds cost and nothing proven. front, back and full_range add none.
 */
const WEBGPU_MODELS = ['short_range', 'full_range_sparse'];
const OUT_DIR = join(PACKAGE_ROOT, '.cache', 'web');
const IMAGES = [
  ...['1face.png', '3faces.png', '4faces.png'].map((name) => `images/${name}`),
  ...readdirSync(join(SHARED_DIR, 'images', 'people'))
    .filter((name) => /\.(png|jpe?g)$/i.test(name))
    .sort()
    .map((name) => `images/people/${name}`),
];
const TOLERANCE = 1e-5;

interface PageRun {
  readonly backend: string;
  readonly width: number;
  readonly height: number;
  readonly tensor: string;
  readonly letterbox: LetterboxTransform;
  readonly regressors: string;
  readonly classificators: string;
  readonly detections: Detection[];
  readonly timings: { readonly inferenceMs: number };
}

interface DemoInfo {
  readonly backend: 'webgpu' | 'wasm';
  readonly reason: string;
  readonly numThreads: number;
  readonly crossOriginIsolated: boolean;
  readonly models: string[];
}

interface Demo {
  readonly ready: Promise<void>;
  runUrl(model: string, url: string, annotate: boolean): Promise<PageRun>;
  info(): DemoInfo;
}

/** The little of the DOM the checks read inside the page (the tests compile without the DOM library). */
interface Doc {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{
    getBoundingClientRect(): { width: number; height: number };
    naturalWidth?: number;
    complete?: boolean;
  }>;
}

/** The page's window as the evaluated functions see it (they run in the page, so they can only name globals). */
type PageWindow = { readonly blazefaceDemo: Demo };

const float32 = (base64: string): Float32Array => {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

/**
 * The operators a model's ONNX uses, as the runtime sees them: the op type with the attributes
 * that pick a kernel. Left out are a layer's sizes (its pads, and how many groups a grouped
 * convolution has), which are numbers a kernel is given, not another kernel.
 */
function operators(bytes: Uint8Array): Set<string> {
  const names = new Set<string>();
  for (const node of onnx.ModelProto.decode(bytes).graph?.node ?? []) {
    const attributes = (node.attribute ?? [])
      .filter((a) => a.name !== 'pads')
      .map((a) => {
        if (node.opType === 'Conv' && a.name === 'group') return Number(a.i) > 1 ? 'grouped' : 'dense';
        const value = a.ints?.length ? a.ints.join('x') : a.s?.length ? Buffer.from(a.s).toString() : String(a.i ?? a.f);
        return `${a.name}=${value}`;
      })
      .sort();
    names.add(`${node.opType}(${attributes.join(', ')})`);
  }
  return names;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU seconds (user + system) of a process and all its descendants so far, from /proc: each
 * live process's own time plus the time of the children it has reaped, so the browser's
 * renderer and GPU processes count as well as the process this test launched.
 */
function processTreeCpuSeconds(root: number): number {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // Fields after the command name, which is in parentheses and may hold spaces.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ');
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) }];
      } catch {
        return [];
      }
    });
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (!tree.has(s.pid) && tree.has(s.ppid)) {
        tree.add(s.pid);
        grew = true;
      }
    }
  }
  return stats.filter((s) => tree.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) / CLOCK_TICKS;
}

/** The largest difference of normalized coordinates between two detections, box and keypoints. */
function coordinateDifference(a: Detection, b: Detection): number {
  let worst = 0;
  for (const key of ['xmin', 'ymin', 'xmax', 'ymax'] as const) worst = Math.max(worst, Math.abs(a.box[key] - b.box[key]));
  a.keypoints.forEach((k, i) => {
    const other = b.keypoints[i]!;
    worst = Math.max(worst, Math.abs(k.x - other.x), Math.abs(k.y - other.y));
  });
  return worst;
}

describe('headless chromium, launched once', () => {
  let build: WebBuild;
  let server: RunningWebServer;
  let browser: Browser;
  /** The page on a browser without WebGPU: the WASM fallback. */
  let wasmPage: Page;
  /** The page as the browser offers it: SwiftShader's WebGPU adapter. */
  let gpuPage: Page;
  const problems: string[] = [];
  /** The onnxruntime-web files each page fetched, by page. */
  const fetched = new Map<Page, Set<string>>();
  const models = new Map<string, { model: WebModel; runner: OnnxRunner; bytes: Uint8Array }>();
  const reports = { parity: join(OUT_DIR, 'report-short_range.html'), convert: join(OUT_DIR, 'convert-palm_detection_lite.html') };
  let reportRuns: Promise<CliResult[]>;

  /** A new tab whose errors, failed requests and onnxruntime-web fetches are recorded. */
  async function openTab(label: string, setup?: (page: Page) => Promise<unknown>): Promise<Page> {
    const page = await browser.newPage();
    const files = new Set<string>();
    fetched.set(page, files);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${label} console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${label} page: ${error instanceof Error ? error.message : String(error)}`));
    page.on('requestfailed', (request) => problems.push(`${label} request: ${request.url()} ${request.failure()?.errorText}`));
    page.on('request', (request) => {
      const path = request.url().startsWith(server.url) ? new URL(request.url()).pathname : '';
      if (path.startsWith('/ort/')) files.add(path.slice('/ort/'.length));
    });
    await setup?.(page);
    await page.setViewport({ width: 1280, height: 900 });
    return page;
  }

  async function openDemo(label: string, query = '', setup?: (page: Page) => Promise<unknown>): Promise<Page> {
    const page = await openTab(label, setup);
    await page.goto(`${server.url}${query}`, { waitUntil: 'load' });
    await page.evaluate(() => (globalThis as unknown as PageWindow).blazefaceDemo.ready);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    // The reports are written while the browser starts; each CLI run is its own process.
    reportRuns = Promise.all([
      runCliAsync(['parity', '--model', 'short_range', '--html', reports.parity, '--quiet']),
      runCliAsync([
        'convert',
        '--model',
        'palm_detection_lite',
        '--format',
        'onnx,coreml',
        '--out',
        join(OUT_DIR, 'out', 'palm_detection_lite'),
        '--html',
        reports.convert,
        '--quiet',
      ]),
    ]);
    build = await buildWeb(join(OUT_DIR, 'site'));
    server = await startWebServer({ root: build.dir, mounts: { '/images/': join(SHARED_DIR, 'images') } });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', ...WEBGPU_FLAGS, ...CHEAPER_FLAGS] });
    wasmPage = await openDemo('wasm page', '', (page) =>
      page.evaluateOnNewDocument(() => {
        delete (Object.getPrototypeOf((globalThis as unknown as { navigator: object }).navigator) as { gpu?: unknown }).gpu;
      }),
    );
    gpuPage = await openDemo('webgpu page');
    for (const model of webModelList() as WebModel[]) {
      const { bytes } = cachedOnnx(loadModelContext(loadModelFile(model.id)));
      models.set(model.id, { model, runner: await loadOnnx(bytes), bytes });
    }
  });

  afterAll(async () => {
    const pid = browser?.process()?.pid;
    if (pid !== undefined) {
      const node = process.cpuUsage();
      console.log(
        `CPU: chromium (every process of the one launch) ${processTreeCpuSeconds(pid).toFixed(1)} s; this test process ${((node.user + node.system) / 1e6).toFixed(1)} s`,
      );
    }
    await browser?.close();
    await server?.close();
    for (const { runner } of models.values()) await runner.release();
  });

  /** Runs one model on one image in the page and the same tensor in onnxruntime-node; returns what differs. */
  async function compareWithNode(page: Page, id: string, url: string, annotate: boolean) {
    const { model, runner } = models.get(id)!;
    const run = await page.evaluate((m, u, a) => (globalThis as unknown as PageWindow).blazefaceDemo.runUrl(m, u, a), id, url, annotate);
    const tensor = float32(run.tensor);
    expect(tensor.length).toBe(model.input.width * model.input.height * 3);
    const out = await runner.run({ input: { shape: [1, model.input.height, model.input.width, 3], data: tensor } });
    const outputs = { regressors: out.regressors!.data, classificators: out.classificators!.data };
    const node = finish(model, modelAnchors(model), { tensor, letterbox: run.letterbox }, outputs);
    let raw = 0;
    const webRegressors = float32(run.regressors);
    for (let i = 0; i < webRegressors.length; i++) raw = Math.max(raw, Math.abs(webRegressors[i]! - outputs.regressors[i]!));
    expect(run.detections.length, `${id} ${url}`).toBe(node.length);
    let coordinates = 0;
    let scores = 0;
    run.detections.forEach((d, i) => {
      coordinates = Math.max(coordinates, coordinateDifference(d, node[i]!));
      scores = Math.max(scores, Math.abs(d.score - node[i]!.score));
    });
    return { run, faces: node.length, coordinates, scores, raw };
  }

  describe('the demo page', () => {
    it('falls back to WASM without WebGPU, says so on the page, is cross-origin isolated and lists every face model', async () => {
      const info = await wasmPage.evaluate(() => (globalThis as unknown as PageWindow).blazefaceDemo.info());
      const shown = await wasmPage.evaluate(() => (globalThis as unknown as { document: Doc }).document.querySelector('#backend')?.textContent);
      console.log(`page: ${build.bytes} bytes (index.html + main.js), built in ${build.buildMs.toFixed(0)} ms; fallback page: ${shown}`);
      expect(info.backend).toBe('wasm');
      expect(info.reason).toContain('navigator.gpu is missing');
      expect(shown).toBe(`WASM (${info.reason})`);
      expect(info.crossOriginIsolated).toBe(true);
      expect(info.numThreads).toBeGreaterThan(1);
      expect([...info.models].sort()).toEqual([...FACE_MODELS].sort());
    });

    it('falls back to WASM when WebGPU offers no adapter', async () => {
      const page = await openDemo('no-adapter page', '', (p) =>
        p.evaluateOnNewDocument(() => {
          const gpu = (globalThis as unknown as { navigator: { gpu: { requestAdapter(): Promise<unknown> } } }).navigator.gpu;
          gpu.requestAdapter = () => Promise.resolve(null);
        }),
      );
      const info = await page.evaluate(() => (globalThis as unknown as PageWindow).blazefaceDemo.info());
      await page.close();
      expect(info.backend).toBe('wasm');
      expect(info.reason).toContain('no adapter');
    });

    it.each(FACE_MODELS)('%s on WASM: the page finds the faces onnxruntime-node finds on the same tensor', async (id) => {
      const summary: string[] = [];
      for (const url of IMAGES) {
        const { run, faces, coordinates, scores, raw } = await compareWithNode(wasmPage, id, url, id === 'full_range');
        expect(run.backend).toBe('wasm');
        expect(coordinates, `${id} ${url}`).toBeLessThanOrEqual(TOLERANCE);
        expect(scores, `${id} ${url}`).toBeLessThanOrEqual(TOLERANCE);
        summary.push(
          `${url.replace('images/', '')} ${faces} face(s), max coord diff ${coordinates.toExponential(1)}, max regressor diff ${raw.toExponential(1)}`,
        );
      }
      console.log(`${id} (WASM):\n  ${summary.join('\n  ')}`);
    });

    it('runs models that use every operator of the face models on WebGPU (SwiftShader) and finds the faces onnxruntime-node finds', async () => {
      const used = new Map(FACE_MODELS.map((id) => [id, operators(models.get(id)!.bytes)]));
      const covered = new Set(WEBGPU_MODELS.flatMap((id) => [...used.get(id)!]));
      const missing = FACE_MODELS.flatMap((id) => [...used.get(id)!].filter((op) => !covered.has(op)).map((op) => `${id}: ${op}`));
      console.log(`operators of the face models: ${[...new Set([...used.values()].flatMap((ops) => [...ops]))].sort().join(' ')}`);
      expect(missing, `operators no WebGPU model runs (WEBGPU_MODELS: ${WEBGPU_MODELS.join(', ')})`).toEqual([]);
      const info = await gpuPage.evaluate(() => (globalThis as unknown as PageWindow).blazefaceDemo.info());
      const shown = await gpuPage.evaluate(() => (globalThis as unknown as { document: Doc }).document.querySelector('#backend')?.textContent);
      console.log(`WebGPU page: ${shown}`);
      expect(info.backend).toBe('webgpu');
      expect(info.reason).toMatch(/swiftshader/i);
      const summary: string[] = [];
      const cpuBefore = processTreeCpuSeconds(browser.process()!.pid!);
      for (const id of WEBGPU_MODELS) {
        const url = IMAGES[1]!;
        const { run, faces, coordinates, scores, raw } = await compareWithNode(gpuPage, id, url, true);
        expect(run.backend, id).toBe('webgpu');
        expect(coordinates, id).toBeLessThanOrEqual(TOLERANCE);
        expect(scores, id).toBeLessThanOrEqual(TOLERANCE);
        summary.push(
          `${id.padEnd(18)} ${url.replace('images/', '')} ${faces} face(s), max coord diff ${coordinates.toExponential(1)}, ` +
            `max regressor diff ${raw.toExponential(1)}, inference ${run.timings.inferenceMs.toFixed(0)} ms`,
        );
      }
      const cpu = processTreeCpuSeconds(browser.process()!.pid!) - cpuBefore;
      console.log(`WebGPU on SwiftShader (a CPU implementation of Vulkan, not a GPU; chromium CPU ${cpu.toFixed(1)} s):\n  ${summary.join('\n  ')}`);
      // SwiftShader compiles WebGPU shaders on the CPU: the first session of each model takes seconds on a loaded machine.
    }, 600_000);

    it('loads the WASM build on the fallback page and the WebGPU build on the WebGPU page; bytes each backend loads', () => {
      const bytes = (page: Page): string => {
        const files = [...fetched.get(page)!].sort();
        const total = build.bytes + files.reduce((sum, name) => sum + statSync(join(server.ortDir, name)).size, 0);
        return `${total.toLocaleString('en-US')} bytes (page ${build.bytes.toLocaleString('en-US')} + onnxruntime-web ${files.join(', ')})`;
      };
      console.log(`loaded by the WASM page: ${bytes(wasmPage)}\nloaded by the WebGPU page: ${bytes(gpuPage)}`);
      expect([...fetched.get(wasmPage)!]).toContain('ort.wasm.min.mjs');
      expect([...fetched.get(gpuPage)!]).toContain('ort.webgpu.min.mjs');
    });

    it('draws the detections without console errors (screenshots in .cache/web)', async () => {
      // A tab in the background paints no frames, so its screenshot waits minutes: each goes to the front first.
      for (const [page, name] of [
        [wasmPage, 'screenshot.png'],
        [gpuPage, 'screenshot-webgpu.png'],
      ] as const) {
        await page.bringToFront();
        await page.screenshot({ path: join(OUT_DIR, name), fullPage: true });
      }
      console.log(`screenshots: ${join(OUT_DIR, 'screenshot.png')}, ${join(OUT_DIR, 'screenshot-webgpu.png')}`);
      expect(await wasmPage.$$eval('#results canvas', (found) => found.length)).toBe(IMAGES.length);
      expect(await gpuPage.$$eval('#results canvas', (found) => found.length)).toBe(WEBGPU_MODELS.length);
      expect(problems).toEqual([]);
    });
  });

  describe('the HTML reports', () => {
    it.each([
      ['parity --html', 'parity', 4],
      ['convert --html', 'convert', 3],
    ] as const)('%s: opens from a file, fetches nothing, its plots render and every picture of the golden images decodes', async (_, which, runtimes) => {
      const results = await reportRuns;
      for (const result of results) expect(result.status, result.stderr).toBe(0);
      const page = await openTab(which);
      page.on('request', (request) => {
        if (!/^(file|data):/.test(request.url())) problems.push(`${which} fetched ${request.url()}: the report must be self-contained`);
      });
      await page.setViewport({ width: 1300, height: 900 });
      await page.goto(pathToFileURL(reports[which]).href, { waitUntil: 'load' });
      const rendered = await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: Doc }).document;
        const area = (selector: string) => Array.from(doc.querySelectorAll(selector), (e) => e.getBoundingClientRect()).map((r) => r.width * r.height);
        return {
          layerPlot: area('svg.layers polyline'),
          histograms: area('svg.histogram'),
          bars: doc.querySelectorAll('svg.histogram rect').length,
          rows: doc.querySelectorAll('tbody tr').length,
          pictures: Array.from(doc.querySelectorAll('table.pictures img'), (img) => ({ width: img.naturalWidth ?? 0, complete: img.complete ?? false })),
          pictureRows: doc.querySelectorAll('table.pictures tbody tr').length,
        };
      });
      await page.screenshot({ path: join(OUT_DIR, `${which}-report.png`), fullPage: true });
      await page.close();
      console.log(
        `${which} report: ${statSync(reports[which]).size.toLocaleString('en-US')} bytes, ${rendered.pictures.length} pictures, ${rendered.histograms.length} histograms; screenshot ${join(OUT_DIR, `${which}-report.png`)}`,
      );
      if (which === 'parity') {
        expect(rendered.layerPlot).toHaveLength(1);
        expect(rendered.layerPlot[0]).toBeGreaterThan(0);
      } else {
        expect(rendered.layerPlot).toEqual([]);
      }
      expect(rendered.histograms.length).toBeGreaterThan(0);
      expect(rendered.histograms.every((a) => a > 0)).toBe(true);
      expect(rendered.bars).toBeGreaterThan(0);
      expect(rendered.rows).toBeGreaterThan(0);
      // The three golden photos and the noise image, one picture per runtime and TFLite's.
      expect(rendered.pictureRows).toBe(4);
      expect(rendered.pictures).toHaveLength(4 * runtimes);
      for (const picture of rendered.pictures) {
        expect(picture.complete).toBe(true);
        expect(picture.width).toBeGreaterThan(0);
      }
      expect(problems).toEqual([]);
    });
  });
});
