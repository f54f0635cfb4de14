/**
 * The demo page's server: static files from the built page folder, onnxruntime-web's browser
 * builds under /ort/ straight from the installed package, the registry's face models as
 * /models.json, and each model's ONNX conversion as /models/<id>.onnx. Loopback only by
 * default. Every response carries COOP/COEP so the page is cross-origin isolated:
 * SharedArrayBuffer exists there, which onnxruntime-web needs for its threaded WASM build.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { cachedOnnx } from '../detect/onnx-cache.js';
import { loadModelContext } from '../convert/model-context.js';
import { InputError } from '../ir/errors.js';
import { listModels, loadModelFile, modelFileAvailable, PACKAGE_ROOT, type ModelEntry } from '../models/registry.js';

/** onnxruntime-web is an optional peer dependency: only `serve` needs it. */
export const ONNX_RUNTIME_WEB_INSTALL = 'npm install onnxruntime-web';

/**
 * The folder of the installed onnxruntime-web's browser builds (its dist/), found from this
 * package as Node would resolve it; an InputError saying how to install it when it is missing.
 */
export function onnxRuntimeWebDir(): string {
  try {
    return dirname(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  } catch {
    throw new InputError(`the demo page runs on onnxruntime-web, which is not installed: run \`${ONNX_RUNTIME_WEB_INSTALL}\``);
  }
}

/** What /ort/ serves of onnxruntime-web's folder: its ES module builds, their loaders and .wasm files, no source maps. */
const ORT_FILE = /^ort[\w.-]*\.(mjs|wasm)$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
};

const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface WebServerOptions {
  /** The built page (dist/web). */
  readonly root: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Where converted models are cached; defaults to defaultCacheDir(). */
  readonly cacheDir?: string;
  /** Extra folders served under a prefix, e.g. the test images under '/images/' for the browser test. */
  readonly mounts?: Readonly<Record<string, string>>;
  /** onnxruntime-web's dist/ folder; defaults to onnxRuntimeWebDir(). */
  readonly ortDir?: string;
}

export interface RunningWebServer {
  readonly url: string;
  /** Where /ort/ is served from. */
  readonly ortDir: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** The page's view of a registry model (see web/pipeline.ts WebModel). */
export function webModelList(): object[] {
  // The page draws face detections; palm detectors and landmark models are not its job yet.
  return listModels()
    .filter((m) => modelFileAvailable(m) && m.anchors !== undefined && m.decoding !== undefined && (m.keypoints ?? 'face') === 'face')
    .map((m: ModelEntry) => ({ id: m.id, title: m.title, input: m.input, anchors: m.anchors, decoding: m.decoding, onnx: `models/${m.id}.onnx` }));
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const root = resolve(options.root);
  if (!existsSync(join(root, 'index.html'))) throw new InputError('no built page here (index.html is missing); run `npm run web` to build it', root);
  const ortDir = resolve(options.ortDir ?? onnxRuntimeWebDir());
  const mounts = Object.entries({ '/': root, ...(options.mounts ?? {}) })
    .map(([prefix, dir]) => [prefix, resolve(dir)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const onnx = new Map<string, Uint8Array>();

  const server = createServer((request, response) => {
    const send = (status: number, type: string, body: string | Uint8Array): void => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...ISOLATION_HEADERS });
      response.end(body);
    };
    try {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
      if (path === '/models.json') return send(200, CONTENT_TYPES['.json']!, JSON.stringify(webModelList()));
      const model = /^\/models\/([a-z_]+)\.onnx$/.exec(path);
      if (model) {
        const id = model[1]!;
        let bytes = onnx.get(id);
        if (!bytes) {
          const entry = listModels().find((m) => m.id === id);
          if (!entry || !modelFileAvailable(entry)) return send(404, 'text/plain', `no model ${id}\n`);
          bytes = cachedOnnx(loadModelContext(loadModelFile(id)), options.cacheDir).bytes;
          onnx.set(id, bytes);
        }
        return send(200, CONTENT_TYPES['.onnx']!, bytes);
      }
      if (path.startsWith('/ort/')) {
        const name = path.slice('/ort/'.length);
        const file = join(ortDir, name);
        if (!ORT_FILE.test(name) || basename(name) !== name || !existsSync(file)) return send(404, 'text/plain', 'not found\n');
        return send(200, CONTENT_TYPES[extname(file)]!, readFileSync(file));
      }
      const file = staticFile(mounts, path);
      if (!file) return send(404, 'text/plain', 'not found\n');
      return send(200, CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', readFileSync(file));
    } catch (error) {
      return send(500, 'text/plain', `${error instanceof Error ? error.message : String(error)}\n`);
    }
  });

  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => fail(new InputError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`, root)));
    server.listen(port, host, done);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    ortDir,
    server,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** The file a URL path names inside one of the mounted folders; never a path outside them. */
function staticFile(mounts: readonly (readonly [string, string])[], path: string): string | undefined {
  for (const [prefix, dir] of mounts) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const file = normalize(join(dir, rest === '' ? 'index.html' : rest));
    if (file !== dir && !file.startsWith(dir + sep)) return undefined;
    if (existsSync(file) && statSync(file).isFile()) return file;
    return undefined;
  }
  return undefined;
}
