import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { loadModelContext, type ModelContext } from '../../src/convert/model-context.js';
import { cachedOnnx, cacheEntryName, defaultCacheDir } from '../../src/detect/onnx-cache.js';
import { loadModelFile, PACKAGE_ROOT, type LoadedModelFile } from '../../src/models/registry.js';
import { sha256Hex } from '../../src/io/sha256.js';
import { CONVERTER_VERSION, converterFingerprint } from '../../src/models/version.js';
import { availableModels } from '../support/models.js';

// short_range ships with npm, so it is on every machine that has the dependencies.
const model = availableModels().find((m) => m.id === 'short_range');

describe.skipIf(!model)('cachedOnnx', () => {
  let file: LoadedModelFile;
  let ctx: ModelContext;
  let fresh: Uint8Array;
  let dir: string;

  beforeAll(() => {
    file = loadModelFile('short_range');
    ctx = loadModelContext(file);
    fresh = convertToOnnx(ctx).bytes;
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'blazeface-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const entryPath = () => join(dir, cacheEntryName(file));

  it('converts once, stores the ONNX with its digest, then serves the stored bytes', () => {
    const first = cachedOnnx(ctx, dir);
    expect(first).toMatchObject({ hit: false, path: entryPath() });
    expect(sha256Hex(first.bytes)).toBe(sha256Hex(fresh));
    expect(readdirSync(dir).sort()).toEqual([cacheEntryName(file), `${cacheEntryName(file)}.sha256`]);
    expect(readFileSync(`${entryPath()}.sha256`, 'utf8')).toBe(`${sha256Hex(fresh)}\n`);

    const second = cachedOnnx(ctx, dir);
    expect(second).toMatchObject({ hit: true, path: entryPath(), convertMs: 0 });
    expect(sha256Hex(second.bytes)).toBe(sha256Hex(fresh));
  });

  it('names an entry by model, model sha256 and converter version', () => {
    expect(cacheEntryName(file)).toBe(`short_range.${file.sha256}.v${CONVERTER_VERSION}-${converterFingerprint()}.onnx`);
    expect(converterFingerprint()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rebuilds a truncated entry and repairs it on disk', () => {
    cachedOnnx(ctx, dir);
    writeFileSync(entryPath(), fresh.subarray(0, 1000));
    const rebuilt = cachedOnnx(ctx, dir);
    expect(rebuilt.hit).toBe(false);
    expect(sha256Hex(rebuilt.bytes)).toBe(sha256Hex(fresh));
    expect(sha256Hex(readFileSync(entryPath()))).toBe(sha256Hex(fresh));
    expect(cachedOnnx(ctx, dir).hit).toBe(true);
  });

  it('rebuilds an entry whose digest file is missing or wrong', () => {
    cachedOnnx(ctx, dir);
    rmSync(`${entryPath()}.sha256`);
    expect(cachedOnnx(ctx, dir).hit).toBe(false);
    writeFileSync(`${entryPath()}.sha256`, 'not a digest\n');
    const rebuilt = cachedOnnx(ctx, dir);
    expect(rebuilt.hit).toBe(false);
    expect(sha256Hex(rebuilt.bytes)).toBe(sha256Hex(fresh));
  });

  it('still converts when the cache folder cannot be created', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const result = cachedOnnx(ctx, join(blocker, 'cache'));
    expect(result.hit).toBe(false);
    expect(result.path).toBeUndefined();
    expect(sha256Hex(result.bytes)).toBe(sha256Hex(fresh));
    expect(readdirSync(dir)).toEqual(['a-file']);
  });
});

describe('defaultCacheDir', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('follows $XDG_CACHE_HOME when it is set', () => {
    vi.stubEnv('XDG_CACHE_HOME', '/some/cache');
    expect(defaultCacheDir('linux')).toBe(join('/some/cache', 'blazeface-convert'));
  });

  it('is ~/.cache on Linux without $XDG_CACHE_HOME, or with a relative one', () => {
    expect(defaultCacheDir('linux', {}, '/home/u')).toBe(join('/home/u', '.cache', 'blazeface-convert'));
    expect(defaultCacheDir('linux', { XDG_CACHE_HOME: 'relative/cache' }, '/home/u')).toBe(join('/home/u', '.cache', 'blazeface-convert'));
  });

  it('is ~/Library/Caches on macOS and %LOCALAPPDATA% on Windows', () => {
    expect(defaultCacheDir('darwin', { XDG_CACHE_HOME: '/x' }, '/Users/u')).toBe(join('/Users/u', 'Library', 'Caches', 'blazeface-convert'));
    expect(defaultCacheDir('win32', { LOCALAPPDATA: '/c/Users/u/AppData/Local' }, '/c/Users/u')).toBe(join('/c/Users/u/AppData/Local', 'blazeface-convert'));
    expect(defaultCacheDir('win32', {}, '/c/Users/u')).toBe(join('/c/Users/u', 'AppData', 'Local', 'blazeface-convert'));
  });

  it('is never inside the package', () => {
    expect(defaultCacheDir().startsWith(PACKAGE_ROOT)).toBe(false);
  });
});
