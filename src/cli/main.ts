import { Command, CommanderError } from 'commander';
import { BlazefaceError } from '../ir/errors.js';
import { CONVERTER_VERSION } from '../models/version.js';
import { EXIT } from './common.js';
import { registerInspectCommand } from './inspect.js';
import { registerConvertCommand } from './convert.js';
import { registerAnchorsCommand } from './anchors.js';
import { registerParityCommand } from './parity.js';
import { registerDetectCommand } from './detect.js';
import { registerServeCommand } from './serve.js';

// A reader that stops early (`blazeface inspect x | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const debug = process.argv.includes('--debug');

// Set before the commands are added: subcommands inherit the output and exit settings.
const program = new Command('blazeface')
  .description('Convert MediaPipe BlazeFace TFLite models to ONNX and CoreML, checked against the real TFLite runtime')
  .version(CONVERTER_VERSION)
  .option('--debug', 'print stack traces of errors')
  .addHelpText('after', '\nExit status: 0 ok, 2 bad input or usage, 3 a parity check failed, 1 a bug in blazeface.')
  .exitOverride()
  // Commander adds a "(Did you mean ...?)" line; the CLI's errors are one line each.
  .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, ' ')}\n`) });

registerInspectCommand(program);
registerConvertCommand(program);
registerAnchorsCommand(program);
registerParityCommand(program);
registerDetectCommand(program);
registerServeCommand(program);

const commands = program.commands.map((c) => c.name());
if (process.argv.slice(2).every((arg) => arg === '--debug')) {
  process.stderr.write(`error: give a command (${commands.join(', ')}); blazeface --help describes them\n`);
  process.exit(EXIT.badInput);
}

/**
 * Usage errors (commander's, already printed as one line) and errors the user can act on
 * (bad file, unknown model, unsupported op, missing onnxruntime-node) exit 2 after one line;
 * anything else is a bug in this tool and exits 1. `--debug` adds the stack.
 */
program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.badInput);
  }
  if (error instanceof BlazefaceError) {
    process.stderr.write(`error: ${error.describe()}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    process.exit(EXIT.badInput);
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
