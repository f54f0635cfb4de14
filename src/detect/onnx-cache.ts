/**
 * The raw ONNX conversion of a registry model, kept on disk so `detect` converts each model
 * once. An entry is keyed by the TFLite file's sha256, the converter version and a digest of
 * the converter's code: another model file or any change to the converter gets a new entry,
 * never a stale one.
 *
 * An entry is two files, `<key>.onnx` and `<key>.onnx.sha256` (the hex digest of the ONNX
 * bytes). Both are written to a temporary name and renamed into place, ONNX first, so a crash
 * leaves at most an entry without a valid digest. An entry whose digest is missing or does not
 * match (truncated, overwritten, half-copied) is converted again and replaced.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { convertToOnnx } from '../convert/convert-onnx.js';
import { writeFileAtomically } from '../io/write-files.js';
import type { ModelContext } from '../convert/model-context.js';
import type { LoadedModelFile } from '../models/registry.js';
import { sha256Hex } from '../io/sha256.js';
import { CONVERTER_NAME, CONVERTER_VERSION, converterFingerprint } from '../models/version.js';

export interface CachedOnnx {
  readonly bytes: Uint8Array;
  /** Where the entry lives; undefined when the cache folder could not be written. */
  readonly path?: string;
  /** True when the bytes came from a valid cache entry, false when converted just now. */
  readonly hit: boolean;
  /** Time spent converting; 0 on a hit. */
  readonly convertMs: number;
}

/**
 * The user's cache folder by the platform's convention, never the installed package (a global
 * install is not writable by its users): `%LOCALAPPDATA%` on Windows, `~/Library/Caches` on
 * macOS, elsewhere `$XDG_CACHE_HOME` when it is an absolute path (the XDG base directory
 * specification ignores relative ones) or `~/.cache`; then `blazeface-convert` inside it.
 */
export function defaultCacheDir(
  platform: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  const local = env.LOCALAPPDATA;
  const xdg = env.XDG_CACHE_HOME;
  const base =
    platform === 'win32'
      ? local && isAbsolute(local)
        ? local
        : join(home, 'AppData', 'Local')
      : platform === 'darwin'
        ? join(home, 'Library', 'Caches')
        : xdg && isAbsolute(xdg)
          ? xdg
          : join(home, '.cache');
  return join(base, CONVERTER_NAME);
}

export function cacheEntryName(file: LoadedModelFile): string {
  return `${file.name}.${file.sha256}.v${CONVERTER_VERSION}-${converterFingerprint()}.onnx`;
}

/** The model's raw ONNX (inputs `input`, outputs `regressors`, `classificators`), from the cache or converted. */
export function cachedOnnx(ctx: ModelContext, cacheDir: string = defaultCacheDir()): CachedOnnx {
  return cachedOnnxOf(ctx.file, () => ctx, cacheDir);
}

/**
 * As cachedOnnx, the model read into the IR only on a miss: reading it and running the
 * graph passes costs more than the whole cache hit.
 */
export function cachedOnnxOf(file: LoadedModelFile, context: () => ModelContext, cacheDir: string = defaultCacheDir()): CachedOnnx {
  const name = cacheEntryName(file);
  const path = join(cacheDir, name);
  const cached = readEntry(path);
  if (cached) return { bytes: cached, path, hit: true, convertMs: 0 };

  const started = performance.now();
  const { bytes } = convertToOnnx(context());
  const convertMs = performance.now() - started;
  try {
    writeFileAtomically(path, bytes);
    writeFileAtomically(`${path}.sha256`, `${sha256Hex(bytes)}\n`);
  } catch {
    // A read-only install or a full disk costs a conversion per run, not the detection.
    return { bytes, hit: false, convertMs };
  }
  return { bytes, path, hit: false, convertMs };
}

function readEntry(path: string): Uint8Array | undefined {
  let bytes: Uint8Array;
  let digest: string;
  try {
    bytes = new Uint8Array(readFileSync(path));
    digest = readFileSync(`${path}.sha256`, 'utf8').trim();
  } catch {
    // Missing is the usual case; unreadable is a broken entry and is rebuilt the same way.
    return undefined;
  }
  return digest === sha256Hex(bytes) ? bytes : undefined;
}
