/**
 * The demo page in a real browser: Debian's chromium (headless, driven by puppeteer-core, no
 * browser download) loads the page from our server and runs every face model on the seed
 * images and the photos. Each run's preprocessed tensor comes back from the page, and the Node
 * side runs onnxruntime-node on that very tensor and decodes with the same core, so any
 * difference is the runtime's: same number of faces, boxes and keypoints within 1e-5.
 * Also saves a screenshot and prints inference times in the page and in Node (no timing asserts).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { join } from 'node:path';
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
import { runCli } from '../support/cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FACE_MODELS = ['front', 'back', 'short_range', 'full_range', 'full_range_sparse'];
const OUT_DIR = join(PACKAGE_ROOT, '.cache', 'web');
const IMAGES = [
  ...['1face.png', '3faces.png', '4faces.png'].map((name) => `images/${name}`),
  ...readdirSync(join(SHARED_DIR, 'images', 'people'))
    .filter((name) => /\.(png|jpe?g)$/i.test(name))
    .sort()
    .map((name) => `images/people/${name}`),
];
const TOLERANCE = 1e-5;
const TIMING_REPEATS = 5;

interface PageRun {
  readonly width: number;
  readonly height: number;
  readonly tensor: string;
  readonly letterbox: LetterboxTransform;
  readonly regressors: string;
  readonly classificators: string;
  readonly detections: Detection[];
}

interface Demo {
  readonly ready: Promise<void>;
  runUrl(model: string, url: string, annotate: boolean): Promise<PageRun>;
  timeInference(model: string, url: string, repeats: number): Promise<number[]>;
  info(): { numThreads: number; crossOriginIsolated: boolean; models: string[] };
}

const float32 = (base64: string): Float32Array => {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

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

describe('the demo page in headless chromium', () => {
  let build: WebBuild;
  let server: RunningWebServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const models = new Map<string, { model: WebModel; runner: OnnxRunner }>();

  beforeAll(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    build = await buildWeb(join(OUT_DIR, 'site'));
    server = await startWebServer({ root: build.dir, mounts: { '/images/': join(SHARED_DIR, 'images') } });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error instanceof Error ? error.message : String(error)}`));
    page.on('requestfailed', (request) => problems.push(`request: ${request.url()} ${request.failure()?.errorText}`));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(server.url, { waitUntil: 'load' });
    await page.evaluate(() => (globalThis as unknown as { blazefaceDemo: Demo }).blazefaceDemo.ready);
    for (const model of webModelList() as WebModel[]) {
      models.set(model.id, { model, runner: await loadOnnx(cachedOnnx(loadModelContext(loadModelFile(model.id))).bytes) });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const { runner } of models.values()) await runner.release();
  });

  it('is cross-origin isolated, runs WASM threads and lists every face model', async () => {
    const info = await page.evaluate(() => (globalThis as unknown as { blazefaceDemo: Demo }).blazefaceDemo.info());
    console.log(
      `page: main.js ${(build.bundleBytes / 1024).toFixed(0)} KiB, onnxruntime-web runtime ${(build.runtimeBytes / 1048576).toFixed(1)} MiB, ` +
        `built in ${build.buildMs.toFixed(0)} ms; ${info.numThreads} WASM thread(s), crossOriginIsolated ${info.crossOriginIsolated}`,
    );
    expect(info.crossOriginIsolated).toBe(true);
    expect(info.numThreads).toBeGreaterThan(1);
    expect([...info.models].sort()).toEqual([...FACE_MODELS].sort());
  });

  it.each(FACE_MODELS)('%s: the page finds the faces onnxruntime-node finds on the same tensor', async (id) => {
    const { model, runner } = models.get(id)!;
    const anchors = modelAnchors(model);
    const summary: string[] = [];
    for (const url of IMAGES) {
      const run = await page.evaluate(
        (m, u, a) => (globalThis as unknown as { blazefaceDemo: Demo }).blazefaceDemo.runUrl(m, u, a),
        id,
        url,
        id === 'full_range',
      );
      const tensor = float32(run.tensor);
      expect(tensor.length).toBe(model.input.width * model.input.height * 3);
      const out = await runner.run({ input: { shape: [1, model.input.height, model.input.width, 3], data: tensor } });
      const outputs = { regressors: out.regressors!.data, classificators: out.classificators!.data };
      const node = finish(model, anchors, { tensor, letterbox: run.letterbox }, outputs);
      let raw = 0;
      const webRegressors = float32(run.regressors);
      for (let i = 0; i < webRegressors.length; i++) raw = Math.max(raw, Math.abs(webRegressors[i]! - outputs.regressors[i]!));
      expect(run.detections.length, `${id} ${url}`).toBe(node.length);
      let worst = 0;
      run.detections.forEach((d, i) => {
        worst = Math.max(worst, coordinateDifference(d, node[i]!));
        expect(Math.abs(d.score - node[i]!.score)).toBeLessThanOrEqual(TOLERANCE);
      });
      expect(worst, `${id} ${url}`).toBeLessThanOrEqual(TOLERANCE);
      summary.push(
        `${url.replace('images/', '')} ${node.length} face(s), max coord diff ${worst.toExponential(1)}, max regressor diff ${raw.toExponential(1)}`,
      );
    }
    console.log(`${id}:\n  ${summary.join('\n  ')}`);
  });

  it('inference time: page (onnxruntime-web) vs Node (onnxruntime-node), same thread counts', async () => {
    const info = await page.evaluate(() => (globalThis as unknown as { blazefaceDemo: Demo }).blazefaceDemo.info());
    const threadCounts = [...new Set([1, info.numThreads])];
    const columns: string[] = [];
    const cells = new Map<string, string[]>(FACE_MODELS.map((id) => [id, []]));
    for (const threads of threadCounts) {
      columns.push(`page ${threads}t`.padStart(10), `node ${threads}t`.padStart(10));
      const timed = threads === info.numThreads ? page : await browser.newPage();
      if (timed !== page) {
        await timed.goto(`${server.url}?threads=${threads}`, { waitUntil: 'load' });
        await timed.evaluate(() => (globalThis as unknown as { blazefaceDemo: Demo }).blazefaceDemo.ready);
      }
      for (const id of FACE_MODELS) {
        const web = await timed.evaluate(
          (m, u, n) => (globalThis as unknown as { blazefaceDemo: Demo }).blazefaceDemo.timeInference(m, u, n),
          id,
          IMAGES[0]!,
          TIMING_REPEATS,
        );
        expect(web).toHaveLength(TIMING_REPEATS);
        const { model } = models.get(id)!;
        const runner = await loadOnnx(cachedOnnx(loadModelContext(loadModelFile(id))).bytes, { threads });
        const input = { input: { shape: [1, model.input.height, model.input.width, 3], data: new Float32Array(model.input.width * model.input.height * 3) } };
        const node: number[] = [];
        try {
          await runner.run(input);
          for (let i = 0; i < TIMING_REPEATS; i++) {
            const started = performance.now();
            await runner.run(input);
            node.push(performance.now() - started);
          }
        } finally {
          await runner.release();
        }
        cells.get(id)!.push(`${median(web).toFixed(2)} ms`.padStart(10), `${median(node).toFixed(2)} ms`.padStart(10));
      }
      if (timed !== page) await timed.close();
    }
    const rows = FACE_MODELS.map((id) => `${id.padEnd(18)} ${cells.get(id)!.join(' ')}`);
    console.log(
      `median inference of ${TIMING_REPEATS} runs after a warm-up (the machine's load: ${loadavg()[0]!.toFixed(1)})\n${'model'.padEnd(18)} ${columns.join(' ')}\n${rows.join('\n')}`,
    );
  });

  it('draws the detections without console errors (screenshot in .cache/web)', async () => {
    const path = join(OUT_DIR, 'screenshot.png');
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
    const canvases = await page.$$eval('#results canvas', (found) => found.length);
    expect(canvases).toBe(IMAGES.length);
    expect(problems).toEqual([]);
  });
});

describe('the parity report in headless chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('blazeface parity --html writes a page whose plots render as inline SVG, without console errors', async () => {
    const path = join(OUT_DIR, 'report-short_range.html');
    const result = runCli(['parity', '--model', 'short_range', '--html', path]);
    expect(result.status, result.stderr).toBe(0);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error instanceof Error ? error.message : String(error)}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`fetched ${request.url()}: the report must be self-contained`);
    });
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    const rendered = await page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { width: number; height: number } }> } }
      ).document;
      const size = (selector: string) => Array.from(doc.querySelectorAll(selector), (e) => e.getBoundingClientRect()).map((r) => r.width * r.height);
      return {
        layerPlot: size('svg.layers polyline'),
        histograms: size('svg.histogram'),
        bars: doc.querySelectorAll('svg.histogram rect').length,
        rows: doc.querySelectorAll('tbody tr').length,
      };
    });
    await page.screenshot({ path: join(OUT_DIR, 'report.png'), fullPage: true });
    expect(rendered.layerPlot).toHaveLength(1);
    expect(rendered.layerPlot[0]).toBeGreaterThan(0);
    expect(rendered.histograms.length).toBeGreaterThan(0);
    expect(rendered.histograms.every((area) => area > 0)).toBe(true);
    expect(rendered.bars).toBeGreaterThan(0);
    expect(rendered.rows).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
