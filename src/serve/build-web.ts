/**
 * Builds the demo page (web/) into one folder the server serves: index.html, the page's
 * bundle, and onnxruntime-web's WASM build copied from node_modules so the page runs offline.
 *
 * esbuild does the bundling: one dependency with no transitive ones, maintained, and it
 * bundles TypeScript directly in well under a second, so the browser test can build the page
 * every run. It and onnxruntime-web are dev dependencies: the page is built from a checkout.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BlazefaceError } from '../ir/errors.js';
import { PACKAGE_ROOT } from '../models/registry.js';

export const WEB_SOURCE_DIR = join(PACKAGE_ROOT, 'web');
export const WEB_BUILD_DIR = join(PACKAGE_ROOT, 'dist', 'web');

/**
 * The non-JSEP threaded SIMD build: the extern-wasm entry imports its loader (.mjs) from
 * env.wasm.wasmPaths at run time, so the pthread workers start from a real URL of ours.
 */
const ORT_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];

export interface WebBuild {
  readonly dir: string;
  /** Bytes of the page's own bundle (our code plus onnxruntime-web's JavaScript). */
  readonly bundleBytes: number;
  /** Bytes of the copied onnxruntime-web runtime files (.mjs loader and .wasm). */
  readonly runtimeBytes: number;
  readonly buildMs: number;
}

export async function buildWeb(outDir: string = WEB_BUILD_DIR): Promise<WebBuild> {
  const started = performance.now();
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new BlazefaceError('building the page needs the dev dependencies (esbuild, onnxruntime-web): run npm ci in a checkout', WEB_SOURCE_DIR);
  }
  mkdirSync(join(outDir, 'ort'), { recursive: true });
  await esbuild.build({
    entryPoints: [join(WEB_SOURCE_DIR, 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    conditions: ['onnxruntime-web-use-extern-wasm'],
    logLevel: 'error',
    absWorkingDir: PACKAGE_ROOT,
  });
  writeFileSync(join(outDir, 'index.html'), readFileSync(join(WEB_SOURCE_DIR, 'index.html')));
  const ortDist = dirname(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  let runtimeBytes = 0;
  for (const name of ORT_FILES) {
    copyFileSync(join(ortDist, name), join(outDir, 'ort', name));
    runtimeBytes += statSync(join(outDir, 'ort', name)).size;
  }
  return { dir: outDir, bundleBytes: statSync(join(outDir, 'main.js')).size, runtimeBytes, buildMs: performance.now() - started };
}
