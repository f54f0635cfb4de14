import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/ir/errors.js';
import { onnxRuntimeWebDir, type RunningWebServer, startWebServer } from '../../src/serve/web-server.js';
import { runCli } from '../support/cli.js';

describe('the demo page server', () => {
  let root: string;
  let server: RunningWebServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'blazeface-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(root, 'assets', 'x.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(root, '..', 'blazeface-web-secret.txt'), 'outside');
    server = await startWebServer({ root, mounts: { '/extra/': join(root, 'assets') } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('listens on loopback and sends the cross-origin isolation headers with every response', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    for (const path of ['', 'assets/x.wasm', 'missing.js', 'ort/ort.wasm.min.mjs']) {
      const response = await fetch(new URL(path, server.url));
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    }
    const page = await fetch(server.url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const wasm = await fetch(new URL('assets/x.wasm', server.url));
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
    expect((await fetch(new URL('extra/x.wasm', server.url))).status).toBe(200);
  });

  it("serves onnxruntime-web's browser builds from the installed package under /ort/, and nothing else of it", async () => {
    expect(server.ortDir).toBe(onnxRuntimeWebDir());
    for (const name of ['ort.wasm.min.mjs', 'ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) {
      const response = await fetch(new URL(`ort/${name}`, server.url));
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe(name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8');
      expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(server.ortDir, name))), name).toBe(true);
    }
    for (const name of ['ort.wasm.min.mjs.map', 'ort.wasm.js', '..%2fpackage.json', 'sub/ort.mjs']) {
      expect((await fetch(new URL(`ort/${name}`, server.url))).status, name).toBe(404);
    }
  });

  it('lists the face models and serves their ONNX conversion', async () => {
    const models = (await (await fetch(new URL('models.json', server.url))).json()) as { id: string; onnx: string; decoding: object }[];
    const shortRange = models.find((m) => m.id === 'short_range');
    expect(shortRange?.onnx).toBe('models/short_range.onnx');
    const onnx = new Uint8Array(await (await fetch(new URL(shortRange!.onnx, server.url))).arrayBuffer());
    // An ONNX ModelProto starts with field 1 (ir_version), a varint: tag byte 0x08.
    expect(onnx[0]).toBe(0x08);
    expect(onnx.length).toBeGreaterThan(100_000);
    expect((await fetch(new URL('models/nothing.onnx', server.url))).status).toBe(404);
  });

  it('serves nothing outside its folders', async () => {
    for (const path of ['/../blazeface-web-secret.txt', '/%2e%2e/blazeface-web-secret.txt', '/ort/..%2f..%2fblazeface-web-secret.txt']) {
      const response = await fetch(`${server.url.slice(0, -1)}${path}`);
      expect(response.status, path).toBe(404);
    }
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a folder without a built page, and a port in use, as input errors', async () => {
    await expect(startWebServer({ root: join(root, 'assets') })).rejects.toThrow(InputError);
    const port = Number(new URL(server.url).port);
    await expect(startWebServer({ root, port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  });

  it('blazeface serve: a bad port or a folder without the page is one line and exit 2', () => {
    const badPort = runCli(['serve', '--port', '70000']);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toBe('error: --port 70000 is not a port number (0..65535)\n');
    const noPage = runCli(['serve', '--port', '0', '--root', join(root, 'assets')]);
    expect(noPage.status).toBe(2);
    expect(noPage.stderr).toMatch(/^error: .*assets: no built page here \(index\.html is missing\); run `npm run web` to build it\n$/);
  });
});
