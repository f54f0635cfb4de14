/**
 * The demo page's inference against onnxruntime-node: every face model on onnxruntime-web's
 * WASM build in headless chromium (Debian's, driven by puppeteer-core as in
 * test/web/browser.test.ts, with V8's and chromium's default settings) and on onnxruntime-node,
 * with the same intra-op thread counts (1, and the page's own default), on the same input
 * tensor: the one the page made from the image. The page times its own `session.run`
 * (web/main.ts timeInference), Node times `runner.run`; the two take turns, one run each per
 * round, the first swapping every round, so a busy spell of the machine falls on both.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { cachedOnnx } from '../../src/detect/onnx-cache.js';
import { BlazefaceError } from '../../src/ir/errors.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { loadModelFile } from '../../src/models/registry.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { buildWeb } from '../../src/serve/build-web.js';
import { startWebServer, webModelList } from '../../src/serve/web-server.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';
import { loadAverage } from './machine.js';
import { summarize, type Summary } from './timing.js';

/** The image the page decodes and turns into each model's input. */
const IMAGE = 'images/1face.png';

export interface PageRow {
  readonly model: string;
  /** Intra-op threads on both sides. */
  readonly threads: number;
  readonly page: Summary;
  readonly node: Summary;
  /** Median of the page / median of Node. */
  readonly ratio: number;
  readonly load: { readonly before: number; readonly after: number };
}

export interface PageResult {
  /** The browser's own version string. */
  readonly browser: string;
  /** The page's thread count when nothing asks for one (its WASM build runs threaded when cross-origin isolated). */
  readonly pageThreads: number;
  readonly rows: readonly PageRow[];
}

/** What the page exposes for the tests and this benchmark (web/main.ts). */
interface Demo {
  readonly ready: Promise<void>;
  runUrl(model: string, url: string, annotate: boolean): Promise<{ readonly backend: string; readonly tensor: string }>;
  timeInference(model: string, url: string, repeats: number, warmup: number): Promise<number[]>;
  info(): { readonly backend: string; readonly numThreads: number; readonly crossOriginIsolated: boolean };
}
type PageWindow = { readonly blazefaceDemo: Demo };

interface PageModel {
  readonly id: string;
  readonly input: { readonly width: number; readonly height: number };
}

export async function benchPage(options: { readonly runs: number; readonly warmup: number }): Promise<PageResult> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) throw new BlazefaceError("no chromium here: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH", chromium);
  const scratch = mkdtempSync(join(tmpdir(), 'blazeface-bench-page-'));
  const server = await startWebServer({ root: (await buildWeb(join(scratch, 'site'))).dir, mounts: { '/images/': join(SHARED_DIR, 'images') } });
  // --no-sandbox: chromium's sandbox refuses to start as root, which CI containers are.
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
  const open = async (query: string): Promise<Page> => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error instanceof Error ? error.message : String(error)));
    await page.goto(`${server.url}${query}`, { waitUntil: 'load' });
    await page.evaluate(() => (globalThis as unknown as PageWindow).blazefaceDemo.ready);
    const info = await page.evaluate(() => (globalThis as unknown as PageWindow).blazefaceDemo.info());
    if (info.backend !== 'wasm' || errors.length > 0)
      throw new BlazefaceError(`the page runs ${info.backend}, not WASM: ${errors.join('; ')}`, `${server.url}${query}`);
    return page;
  };
  try {
    const first = await open('?backend=wasm');
    const { numThreads, crossOriginIsolated } = await first.evaluate(() => (globalThis as unknown as PageWindow).blazefaceDemo.info());
    await first.close();
    if (!crossOriginIsolated) throw new BlazefaceError('the page is not cross-origin isolated, so its WASM build cannot use threads', server.url);
    const rows: PageRow[] = [];
    for (const threads of [...new Set([1, numThreads])]) {
      const page = await open(`?backend=wasm&threads=${threads}`);
      for (const model of webModelList() as PageModel[]) rows.push(await race(page, model, threads, options));
      await page.close();
    }
    return { browser: await browser.version(), pageThreads: numThreads, rows };
  } finally {
    await browser.close();
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One model at one thread count: page and Node in turns, after `warmup` untimed rounds. */
async function race(page: Page, model: PageModel, threads: number, options: { readonly runs: number; readonly warmup: number }): Promise<PageRow> {
  const before = loadAverage();
  // The page's first run loads the model and hands back the tensor it made, which Node is fed.
  const run = await page.evaluate((m, u) => (globalThis as unknown as PageWindow).blazefaceDemo.runUrl(m, u, false), model.id, IMAGE);
  const bytes = Buffer.from(run.tensor, 'base64');
  const tensor = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const runner = await loadOnnx(cachedOnnx(loadModelContext(loadModelFile(model.id))).bytes, { threads });
  const input = { input: { shape: [1, model.input.height, model.input.width, 3], data: tensor } };
  const samples = { page: [] as number[], node: [] as number[] };
  const timePage = async (): Promise<number> =>
    (await page.evaluate((m, u) => (globalThis as unknown as PageWindow).blazefaceDemo.timeInference(m, u, 1, 0), model.id, IMAGE))[0]!;
  const timeNode = async (): Promise<number> => {
    const start = process.hrtime.bigint();
    await runner.run(input);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  try {
    for (let round = 0; round < options.warmup + options.runs; round++) {
      const pageFirst = round % 2 === 0;
      const a = await (pageFirst ? timePage() : timeNode());
      const b = await (pageFirst ? timeNode() : timePage());
      if (round < options.warmup) continue;
      samples.page.push(pageFirst ? a : b);
      samples.node.push(pageFirst ? b : a);
    }
  } finally {
    await runner.release();
  }
  const pageSummary = summarize(samples.page);
  const nodeSummary = summarize(samples.node);
  return {
    model: model.id,
    threads,
    page: pageSummary,
    node: nodeSummary,
    ratio: pageSummary.medianMs / nodeSummary.medianMs,
    load: { before, after: loadAverage() },
  };
}
