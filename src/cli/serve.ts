import type { Command } from 'commander';
import { buildWeb, WEB_BUILD_DIR } from '../serve/build-web.js';
import { startWebServer } from '../serve/web-server.js';
import { defaultCacheDir } from '../detect/onnx-cache.js';
import { InputError } from '../ir/errors.js';
import { groupDigits } from '../ir/digits.js';

interface ServeOptions {
  readonly port: string;
  readonly host: string;
  readonly build?: boolean;
  readonly root: string;
  readonly cacheDir?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the demo page: face detection in the browser with our ONNX models on onnxruntime-web (WebGPU, else WASM; needs onnxruntime-web)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--build', 'build the page first (needs the dev dependencies of a checkout)')
    .option('--root <dir>', 'the built page', WEB_BUILD_DIR)
    .option('--cache-dir <dir>', `where converted models are kept (default: ${defaultCacheDir()})`)
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port ${opts.port} is not a port number (0..65535)`);
      if (opts.build) {
        const built = await buildWeb(opts.root);
        process.stderr.write(`built ${built.dir} in ${built.buildMs.toFixed(0)} ms: ${groupDigits(built.bytes)} bytes\n`);
      }
      const running = await startWebServer({ root: opts.root, host: opts.host, port, cacheDir: opts.cacheDir });
      process.stdout.write(`serving ${running.url} (onnxruntime-web from ${running.ortDir}; Ctrl-C stops)\n`);
    });
}
