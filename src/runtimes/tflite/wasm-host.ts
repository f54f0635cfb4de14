/**
 * Hosts the TFLite Web API (the real TFLite interpreter compiled to WASM with XNNPACK, shipped
 * in `@tensorflow/tfjs-tflite`) inside Node, which the package does not support by itself:
 *
 * - Its Emscripten loader only knows browsers and web workers. Node has no `window`, so the
 *   client takes the worker path: it reads `self.location` to build the loader URL and calls
 *   `importScripts(url)`. We provide `self` (= globalThis), a `location` in the wasm folder, and
 *   an `importScripts` that evaluates the loader file with `vm.runInThisContext` (so its
 *   top-level `var tflite_web_api_ModuleFactory` becomes a global, as in a worker) and wraps the
 *   factory to pass `wasmBinary` read from disk, because the loader would otherwise fetch it.
 * - Requiring the package's Node entry starts loading the WASM module at once, and that load
 *   begins with feature detection, synchronously. Detection picks the threaded build when
 *   `MessageChannel` and `SharedArrayBuffer` work, which they do in Node, but that build needs
 *   web workers. Hiding `MessageChannel` during the `require` makes it choose the
 *   single-threaded SIMD build; the package caches both the answer and the loaded module.
 * - `TFLiteWebModelRunner.create` reads `navigator.hardwareConcurrency` unless `numThreads` is
 *   given, and Node 20 has no `navigator`: callers must always pass `numThreads`.
 *
 * The three globals exist only while the WASM module loads and are removed afterwards (the
 * package's own `tfweb` and the loader's factory stay); every later runner reuses the loaded
 * module. The load promise lives on globalThis (a registered symbol) because vitest may
 * evaluate this file more than once per process while Node's require cache holds a single
 * copy of the package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import type { TFLiteWebAPIClient } from '@tensorflow/tfjs-tflite/dist/types/tflite_web_api.js';
import { BlazefaceError } from '../../ir/errors.js';

/** The Emscripten build we make the client choose: single-threaded, WASM SIMD. */
export const WASM_BUILD = 'tflite_web_api_cc_simd';

const require = createRequire(import.meta.url);
const PACKAGE_JSON = require.resolve('@tensorflow/tfjs-tflite/package.json');
const WASM_DIR = join(dirname(PACKAGE_JSON), 'wasm');

/** `@tensorflow/tfjs-tflite@<installed version>`. */
export const TFJS_TFLITE_PACKAGE = `@tensorflow/tfjs-tflite@${(JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version}`;

const FACTORY_NAME = 'tflite_web_api_ModuleFactory';
const LOAD_KEY = Symbol.for('blazeface-convert.tflite-web-api');

type ModuleFactory = (overrides: Record<string, unknown>) => Promise<unknown>;
type GlobalSlots = Record<string | symbol, unknown>;

/** Loads the WASM interpreter once per process and returns the `tfweb` client. */
export function loadTfliteWebApi(): Promise<TFLiteWebAPIClient> {
  const slots = globalThis as unknown as GlobalSlots;
  const existing = slots[LOAD_KEY] as Promise<TFLiteWebAPIClient> | undefined;
  if (existing) return existing;
  // A failed load is kept: the package caches its own failed load, so a retry could not work.
  const loading = load();
  slots[LOAD_KEY] = loading;
  return loading;
}

async function load(): Promise<TFLiteWebAPIClient> {
  const entry = require.resolve('@tensorflow/tfjs-tflite');
  if (require.cache[entry]) {
    throw new BlazefaceError(`${TFJS_TFLITE_PACKAGE} was loaded without the Node host; load it only through loadTfliteWebApi()`);
  }
  const moduleReady = deferred();
  const restore = installWorkerGlobals(moduleReady);
  try {
    // Requiring the package's Node entry starts loading the WASM module at once (it calls the
    // loader's `load()` at the top level), and that load runs feature detection synchronously.
    withoutMessageChannel(() => require(entry));
    const client = (globalThis as unknown as { tfweb?: TFLiteWebAPIClient }).tfweb;
    if (!client) throw new BlazefaceError(`${TFJS_TFLITE_PACKAGE} did not publish its tfweb client`);
    // The globals must stay until the Emscripten module is ready: the loader reads them
    // asynchronously after detection. `importLoader` refuses any build but WASM_BUILD, so a
    // detection that chose another build fails here instead of running something else.
    await moduleReady.promise;
    return client;
  } finally {
    restore();
  }
}

function withoutMessageChannel<T>(run: () => T): T {
  const channel = Object.getOwnPropertyDescriptor(globalThis, 'MessageChannel');
  delete (globalThis as unknown as GlobalSlots).MessageChannel;
  try {
    return run();
  } finally {
    if (channel) Object.defineProperty(globalThis, 'MessageChannel', channel);
  }
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Installs `self`, `location` and `importScripts`; returns a function that removes them again.
 * `ready` settles when the Emscripten module has instantiated or failed: the client swallows
 * loader errors (it resolves its load with `undefined`), so this is where we learn of them.
 */
function installWorkerGlobals(ready: Deferred): () => void {
  const names = ['self', 'location', 'importScripts'] as const;
  const saved = names.map((name) => Object.getOwnPropertyDescriptor(globalThis, name));
  const define = (name: string, value: unknown): void => {
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: false });
  };
  const folder = pathToFileURL(`${WASM_DIR}/`);
  define('self', globalThis);
  define('location', { href: folder.href, origin: folder.origin, protocol: folder.protocol });
  define('importScripts', (...urls: string[]) => {
    try {
      urls.forEach((url) => importLoader(url, ready));
    } catch (error) {
      ready.reject(error);
      throw error;
    }
  });
  return () => {
    names.forEach((name, i) => {
      const descriptor = saved[i];
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as unknown as GlobalSlots)[name];
    });
  };
}

/** TFLite's informational lines ("INFO: Created TensorFlow Lite XNNPACK delegate") are noise here. */
function forwardLog(line: string): void {
  if (!line.startsWith('INFO: ')) console.warn(line);
}

/**
 * Evaluates the loader the client asked for (only the build we expect) and wraps its module
 * factory so it gets the `.wasm` bytes from disk and reports when the module is ready.
 */
function importLoader(url: string, ready: Deferred): void {
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (basename(file) !== `${WASM_BUILD}.js`) {
    throw new BlazefaceError(`the TFLite client asked for ${basename(file)}, expected ${WASM_BUILD}.js`, file);
  }
  runInThisContext(readFileSync(file, 'utf8'), { filename: file });
  const slots = globalThis as unknown as GlobalSlots;
  const factory = slots[FACTORY_NAME] as ModuleFactory | undefined;
  if (typeof factory !== 'function') throw new BlazefaceError(`loader did not define ${FACTORY_NAME}`, file);
  const wasmBinary = new Uint8Array(readFileSync(join(dirname(file), `${WASM_BUILD}.wasm`)));
  slots[FACTORY_NAME] = (overrides: Record<string, unknown>) => {
    try {
      const module = factory({ ...overrides, wasmBinary, print: forwardLog, printErr: forwardLog });
      module.then(() => ready.resolve(), ready.reject);
      return module;
    } catch (error) {
      ready.reject(error);
      throw error;
    }
  };
}
