import { Command } from 'commander';
import { BlazefaceError } from '../ir/errors.js';
import { CONVERTER_VERSION } from '../models/version.js';
import { registerInspectCommand } from './inspect.js';
import { registerConvertCommand } from './convert.js';
import { registerAnchorsCommand } from './anchors.js';
import { registerParityCommand } from './parity.js';
import { registerDetectCommand } from './detect.js';

// A reader that stops early (`blazeface inspect x | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('blazeface')
  .description('Convert MediaPipe BlazeFace TFLite models to ONNX and CoreML, checked against the real TFLite runtime')
  .version(CONVERTER_VERSION)
  .option('--debug', 'print stack traces of errors');

registerInspectCommand(program);
registerConvertCommand(program);
registerAnchorsCommand(program);
registerParityCommand(program);
registerDetectCommand(program);

/**
 * Errors the user can act on (bad file, unknown model, unsupported op) print one line and
 * exit 2; anything else is a bug in this tool and exits 1. `--debug` adds the stack.
 */
program.parseAsync(process.argv).catch((error: unknown) => {
  const debug = process.argv.includes('--debug');
  if (error instanceof BlazefaceError) {
    process.stderr.write(`error: ${error.describe()}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
