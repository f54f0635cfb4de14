/**
 * The package as a user gets it: `npm pack`, installed into a fresh project outside the
 * repository, offline, from the tarball and the npm cache (CI's `npm ci` fills the cache), with
 * none of the repository's settings in the environment. From there: the library through the
 * `exports` map (ESM, and a TypeScript consumer checked against the shipped types, the browser
 * entry with no Node types at all), `npx blazeface`, `convert` for every registry model,
 * `detect` once onnxruntime-node is added, and `serve` (the built page it ships, onnxruntime-web's
 * files from the consumer's own install) once onnxruntime-web is added.
 *
 * The tarball is packed from the built dist/ (`--ignore-scripts`: `prepare` would rebuild it,
 * which `npm ci` has just done); after editing src/, run `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, PACKAGE_ROOT, type ModelEntry } from '../../src/models/registry.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';
import { ensureBuilt } from '../support/cli.js';
import { addDependency, consumerLockfile, type Lockfile } from './consumer-lock.js';

const packageJson = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  peerDependencies: Record<string, string>;
};
const repositoryLock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as Lockfile;

let root: string;
let consumer: string;
let tarball: string;
let cacheHome: string;
const started = performance.now();

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a user's shell: no npm script variables and none of the variables the
 * repository's tests set (BLAZEFACE_*), so nothing points the package at ../shared.
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|BLAZEFACE_|ONNXRUNTIME_NODE_INSTALL)/i.test(name)));
  return { ...env, XDG_CACHE_HOME: cacheHome, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

function run(command: string, args: readonly string[], extra: Record<string, string> = {}, cwd = consumer): Run {
  const result = spawnSync(command, args, { cwd, env: userEnv(extra), encoding: 'utf8', timeout: 120_000 });
  console.log(`$ ${command} ${args.join(' ')}  -> exit ${result.status}\n${result.stdout}${result.stderr}`.trimEnd());
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking, so independent runs can share the machine's cores. */
function runAsync(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: consumer, env: userEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      console.log(`$ ${command} ${args.join(' ')}  -> exit ${status}\n${stdout}${stderr}`.trimEnd());
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * The CLI as the install linked it, node_modules/.bin/blazeface: the file `npx blazeface` finds
 * and runs. Started directly it spares each run npx's own start (0.6 s of CPU, more than most
 * commands take); the --help test goes through npx once.
 */
function blazefaceBin(): string {
  return join(consumer, 'node_modules', '.bin', 'blazeface');
}

function blazeface(...args: string[]): Run {
  return run(blazefaceBin(), args);
}

/** The model argument a user would pass: front and back are not on npm, so their files are handed over by path. */
function modelArgument(entry: ModelEntry): string {
  return 'url' in entry.source ? join(SHARED_DIR, 'models', entry.file) : entry.id;
}

/** Disk use of a folder in KiB, as `du -sk` reports it. */
function diskKib(path: string): number {
  return Number(spawnSync('du', ['-sk', path], { encoding: 'utf8' }).stdout.split('\t')[0]);
}

beforeAll(() => {
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'blazeface-install-'));
  consumer = join(root, 'consumer');
  cacheHome = join(root, 'cache');
  mkdirSync(consumer);
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], {}, PACKAGE_ROOT);
  expect(packed.status).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string }[];
  tarball = join(root, info!.filename);
  const lock = consumerLockfile(repositoryLock, packageJson, { path: tarball, spec: `file:../${info!.filename}` });
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: lock.packages['']!.dependencies }, null, 2)}\n`,
  );
  writeFileSync(join(consumer, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  expect(run('npm', ['ci', '--offline']).status).toBe(0);
}, 300_000);

afterAll(() => {
  console.log(`install test: ${((performance.now() - started) / 1000).toFixed(1)} s from packing to the last check`);
  rmSync(root, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the library, the CLI, the licence files and the noise golden case, and no tests, scripts, benchmarks or other goldens', () => {
    const listing = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    console.log(`tarball: ${readFileSync(tarball).byteLength} bytes, ${listing.length} files`);
    for (const file of [
      'LICENSE',
      'NOTICE',
      'README.md',
      'package.json',
      'bin/blazeface.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/core.js',
      'dist/src/core.d.ts',
      'dist/web/index.html',
      'dist/web/main.js',
      'weights/registry.json',
      'golden/manifest.json',
    ]) {
      expect(listing, file).toContain(file);
    }
    expect(listing.filter((f) => /^(test|scripts|bench|\.ci|src|schemas\/tflite)|^dist\/(test|scripts|bench)|\.map$/.test(f))).toEqual([]);
    const goldens = listing.filter((f) => f.startsWith('golden/') && f.endsWith('.f32'));
    expect(goldens.filter((f) => !/^golden\/[^/]+\/noise\.[^/]+\.f32$/.test(f))).toEqual([]);
    expect([...new Set(goldens.map((f) => f.split('/')[1]))].sort()).toEqual(
      listModels()
        .map((m) => m.id)
        .sort(),
    );
    expect(readFileSync(join(consumer, 'node_modules', packageJson.name, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0, January 2004',
    );
  });
});

describe('a project that installs the tarball', () => {
  it('gets the runtime dependencies only: no onnxruntime-node or onnxruntime-web, no TensorFlow', () => {
    const modules = readdirSync(join(consumer, 'node_modules'));
    const kib = diskKib(join(consumer, 'node_modules'));
    console.log(`consumer node_modules without onnxruntime-node: ${(kib / 1024).toFixed(1)} MiB (du -sk), top level: ${modules.join(' ')}`);
    expect(modules).not.toContain('onnxruntime-node');
    expect(modules).not.toContain('onnxruntime-web');
    expect(modules).not.toContain('@tensorflow');
    expect(modules).toContain(packageJson.name);
    // Measured 46 MiB, 23 MiB of it onnx-proto's copy of protobufjs 6; 434 MB before the split.
    // sharp, the image reader of detect, adds 20 MiB (libvips for one platform): 66 MiB; the
    // model packages @mediapipe/hands and @mediapipe/face_mesh, whose files the registry reads, 41 MiB: 107 MiB.
    expect(kib).toBeLessThan(120 * 1024);
  });

  it('imports the library and the browser entry as ES modules through the exports map', () => {
    const script = [
      "import { listModels, convertToOnnx, loadModelFile, loadModelContext } from 'blazeface-convert';",
      "import { generateAnchors, anchorOptionsFromJson } from 'blazeface-convert/core';",
      'const entry = listModels().find((m) => m.id === "short_range");',
      'const anchors = generateAnchors(anchorOptionsFromJson(entry.anchors, "registry"));',
      'const onnx = convertToOnnx(loadModelContext(loadModelFile("short_range")));',
      'console.log(JSON.stringify({ models: listModels().length, anchors: anchors.length, onnxBytes: onnx.bytes.byteLength }));',
    ].join('\n');
    const result = run(process.execPath, ['--input-type=module', '-e', script]);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { models: number; anchors: number; onnxBytes: number };
    expect(out).toMatchObject({ models: listModels().length, anchors: 896 });
    expect(out.onnxBytes).toBeGreaterThan(100_000);
  });

  it('typechecks a TypeScript consumer against the shipped types, and a browser consumer with no Node types', () => {
    writeFileSync(
      join(consumer, 'node.ts'),
      [
        "import { createFaceDetector, convertToOnnx, listModels, type FaceDetector, type ModelEntry } from 'blazeface-convert';",
        "import type { Detection } from 'blazeface-convert/core';",
        'const models: readonly ModelEntry[] = listModels();',
        'export async function faces(detector: FaceDetector, image: { width: number; height: number; data: Uint8Array }): Promise<Detection[]> {',
        '  return (await detector.detect(image)).detections;',
        '}',
        'export const made: [typeof createFaceDetector, typeof convertToOnnx, number] = [createFaceDetector, convertToOnnx, models.length];',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'browser.ts'),
      [
        "import { decodeDetections, letterbox, imageToInput, nonMaxSuppression, type Detection, type DecodingOptions } from 'blazeface-convert/core';",
        'declare const decoding: DecodingOptions;',
        'const boxed = letterbox({ width: 4, height: 2, data: new Uint8Array(24) }, 128, 128);',
        'export const input: Float32Array = imageToInput(boxed.image);',
        'export const found: unknown[] = [decodeDetections, nonMaxSuppression, decoding.min_score_thresh];',
        'export type Faces = Detection[];',
      ].join('\n'),
    );
    // The browser project checks our declaration files too (skipLibCheck false), with no Node types loaded.
    const common = { strict: true, noEmit: true, target: 'ES2022', skipDefaultLibCheck: true };
    writeFileSync(
      join(consumer, 'tsconfig.node.json'),
      JSON.stringify({ compilerOptions: { ...common, module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true }, files: ['node.ts'] }),
    );
    writeFileSync(
      join(consumer, 'tsconfig.browser.json'),
      JSON.stringify({
        compilerOptions: { ...common, module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false },
        files: ['browser.ts'],
      }),
    );
    const tsc = join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    // Build mode checks both projects in one process, which loads TypeScript and the shared lib files once.
    const result = run(process.execPath, [tsc, '--build', 'tsconfig.node.json', 'tsconfig.browser.json']);
    expect(result.status, result.stdout).toBe(0);
    expect(
      readdirSync(consumer)
        .filter((f) => f.endsWith('.tsbuildinfo'))
        .sort(),
    ).toEqual(['tsconfig.browser.tsbuildinfo', 'tsconfig.node.tsbuildinfo']);
  });

  it('runs npx blazeface --help', () => {
    const result = run('npx', ['--offline', 'blazeface', '--help']);
    expect(result.status).toBe(0);
    for (const command of ['inspect', 'convert', 'anchors', 'parity', 'detect']) expect(result.stdout).toContain(command);
  });

  it('converts with `blazeface convert`, checks Core ML on the shipped golden case, and says what it skipped', () => {
    const result = blazeface('convert', '--format', 'onnx,coreml');
    expect(result.status).toBe(0);
    expect(readdirSync(join(consumer, 'out', 'short_range')).sort()).toEqual(['short_range.mlmodel', 'short_range.onnx']);
    expect(result.stdout).toMatch(/^ {2}noise +boxes .* ok$/m);
    expect(result.stdout).toMatch(/^ {2}noise +scores .* ok$/m);
    expect(result.stdout).toContain(
      'skipped: parity of short_range.onnx: onnxruntime-node, which runs it, is not installed (`ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` adds it)',
    );
    expect(result.stdout).toContain('skipped: golden cases sin, uniform, 1face, 3faces, 4faces: golden outputs not installed');
  });

  it('says in one line where to get a model npm does not ship', () => {
    const result = blazeface('convert', '--model', 'front');
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^error: front: face_detection_front\.tflite is not on npm; download it from .*https:\/\/github\.com\/google-ai-edge\/mediapipe\/.*--model path\/to\/face_detection_front\.tflite/,
      ),
    ]);
  });

  it('refuses detect in one line saying how to get onnxruntime-node', () => {
    const result = blazeface('detect', '--model', 'short_range', join(SHARED_DIR, 'images', '1face.png'));
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: detect needs onnxruntime-node, .*ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node/),
    ]);
  });

  it('refuses serve in one line saying how to get onnxruntime-web', () => {
    const result = blazeface('serve', '--port', '0');
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'error: the demo page runs on onnxruntime-web, which is not installed: run `npm install onnxruntime-web`',
    ]);
  });

  describe('with onnxruntime-node and onnxruntime-web installed offline beside it', () => {
    beforeAll(() => {
      const lock = ['onnxruntime-node', 'onnxruntime-web'].reduce(
        (current, name) => addDependency(current, repositoryLock, name),
        JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as Lockfile,
      );
      const manifest = JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      writeFileSync(join(consumer, 'package.json'), JSON.stringify({ ...manifest, dependencies: lock.packages['']!.dependencies }, null, 2));
      writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(lock, null, 2));
      // The variable is what the README tells users: without it the install script downloads CUDA files.
      expect(run('npm', ['install', '--offline'], { ONNXRUNTIME_NODE_INSTALL: 'skip' }).status).toBe(0);
      console.log(
        `consumer node_modules with onnxruntime-node and onnxruntime-web: ${(diskKib(join(consumer, 'node_modules')) / 1024).toFixed(1)} MiB (du -sk)`,
      );
    }, 300_000);

    it('detects the face in an image, caching the model in the user cache folder', () => {
      const result = blazeface('detect', '--model', 'short_range', '--json', join(SHARED_DIR, 'images', '1face.png'));
      expect(result.status).toBe(0);
      const [image] = JSON.parse(result.stdout) as { detections: { score: number }[] }[];
      expect(image?.detections).toHaveLength(1);
      expect(image!.detections[0]!.score).toBeGreaterThan(0.9);
      expect(result.stderr).toContain(`cached at ${join(cacheHome, 'blazeface-convert')}`);
      expect(existsSync(join(consumer, 'node_modules', '.cache'))).toBe(false);
    });

    it('converts every registry model and checks it on ONNX Runtime against the shipped golden case', async () => {
      const results = await Promise.all(
        listModels().map((entry) => runAsync(blazefaceBin(), ['convert', '--model', modelArgument(entry), '--out', join('out', 'onnx', entry.id)])),
      );
      for (const [index, entry] of listModels().entries()) {
        const result = results[index]!;
        expect(result.status, entry.id).toBe(0);
        expect(readdirSync(join(consumer, 'out', 'onnx', entry.id))).toEqual([`${entry.id}.onnx`]);
        expect(result.stdout).toContain('Parity with the TFLite runtime (golden/), onnxruntime-node:');
        // One parity row per model output (detectors: regressors and classificators), every one ok.
        const rows = result.stdout.split('\n').filter((line) => /^ {2}noise +\S+ /.test(line));
        expect(rows.length, entry.id).toBe(Object.keys(entry.outputs).length);
        for (const row of rows) expect(row, entry.id).toMatch(/ ok$/);
        expect(result.stdout).not.toContain('is not installed');
      }
    });

    it("serves the demo page from the installed bin: the page the package ships, onnxruntime-web from the consumer's install, the models converted", async () => {
      const installed = join(consumer, 'node_modules', packageJson.name);
      const serving = spawn(blazefaceBin(), ['serve', '--port', '0'], { cwd: consumer, env: userEnv() });
      try {
        const { url, ortDir } = await new Promise<{ url: string; ortDir: string }>((resolve, reject) => {
          let stdout = '';
          let stderr = '';
          serving.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          serving.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            const found = /^serving (http:\/\/\S+) \(onnxruntime-web from (.+); Ctrl-C stops\)$/m.exec(stdout);
            if (found) {
              console.log(`$ blazeface serve --port 0\n${stdout.trimEnd()}`);
              resolve({ url: found[1]!, ortDir: found[2]! });
            }
          });
          serving.on('close', (status) => reject(new Error(`serve exited with ${status}: ${stdout}${stderr}`)));
        });
        expect(ortDir).toBe(join(consumer, 'node_modules', 'onnxruntime-web', 'dist'));
        const get = async (path: string): Promise<{ status: number; bytes: Buffer }> => {
          const response = await fetch(new URL(path, url));
          return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
        };
        for (const name of ['index.html', 'main.js']) {
          const page = await get(name);
          expect(page.status, name).toBe(200);
          expect(page.bytes.equals(readFileSync(join(installed, 'dist', 'web', name))), name).toBe(true);
        }
        for (const name of ['ort.wasm.min.mjs', 'ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.wasm']) {
          const file = await get(`ort/${name}`);
          expect(file.status, name).toBe(200);
          expect(file.bytes.equals(readFileSync(join(consumer, 'node_modules', 'onnxruntime-web', 'dist', name))), name).toBe(true);
        }
        // front and back are not on npm, so the installed package lists the three face models it has.
        const models = JSON.parse((await get('models.json')).bytes.toString()) as { id: string }[];
        expect(models.map((m) => m.id)).toEqual(['short_range', 'full_range', 'full_range_sparse']);
        const onnx = await get('models/short_range.onnx');
        expect(onnx.status).toBe(200);
        expect(onnx.bytes[0]).toBe(0x08);
        expect(existsSync(join(installed, 'dist', 'web', 'ort'))).toBe(false);
      } finally {
        serving.kill('SIGTERM');
      }
    });
  });
});
