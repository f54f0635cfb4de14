/**
 * Builds the demo page (web/) into one folder the server serves: index.html and the page's
 * bundle. onnxruntime-web is not in the bundle: the page imports its browser build at run time
 * from /ort/, which the server maps to the installed onnxruntime-web (web-server.ts), so the
 * runtime's JavaScript and its .wasm files always come from one installed version.
 *
 * esbuild does the bundling: one dependency with no transitive ones, maintained, and it
 * bundles TypeScript directly in well under a second, so the browser test can build the page
 * every run. It is a dev dependency: the package ships the built page (package.json `files`),
 * and `npm run build` makes it.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlazefaceError } from '../ir/errors.js';
import { PACKAGE_ROOT } from '../models/registry.js';

export const WEB_SOURCE_DIR = join(PACKAGE_ROOT, 'web');
export const WEB_BUILD_DIR = join(PACKAGE_ROOT, 'dist', 'web');

/** The files of a built page, all the package ships of it. */
export const WEB_FILES = ['index.html', 'main.js'] as const;

export interface WebBuild {
  readonly dir: string;
  /** Bytes of the built page: index.html and main.js (our code; onnxruntime-web comes from its package). */
  readonly bytes: number;
  readonly buildMs: number;
}

export async function buildWeb(outDir: string = WEB_BUILD_DIR): Promise<WebBuild> {
  const started = performance.now();
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new BlazefaceError('building the page needs the dev dependencies (esbuild): run npm ci in a checkout', WEB_SOURCE_DIR);
  }
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(WEB_SOURCE_DIR, 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'error',
    absWorkingDir: PACKAGE_ROOT,
  });
  writeFileSync(join(outDir, 'index.html'), readFileSync(join(WEB_SOURCE_DIR, 'index.html')));
  const bytes = WEB_FILES.reduce((sum, name) => sum + statSync(join(outDir, name)).size, 0);
  return { dir: outDir, bytes, buildMs: performance.now() - started };
}
