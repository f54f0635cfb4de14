import { Command, CommanderError } from 'commander';
import { BlazefaceError } from '../ir/errors.js';
import { CONVERTER_VERSION } from '../models/version.js';
import { EXIT } from './common.js';

type Register = (program: Command) => void;

/**
 * The commands, in the order help lists them. Each is imported only when the command line names
 * it: a command's module brings its whole pipeline (detect: sharp and ONNX Runtime; convert: the
 * Core ML schema and every emitter), and loading all of them took most of a short run's time.
 * `--help`, `help` and an unknown command load them all, to list them.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  inspect: async () => (await import('./inspect.js')).registerInspectCommand,
  convert: async () => (await import('./convert.js')).registerConvertCommand,
  anchors: async () => (await import('./anchors.js')).registerAnchorsCommand,
  parity: async () => (await import('./parity.js')).registerParityCommand,
  detect: async () => (await import('./detect.js')).registerDetectCommand,
  serve: async () => (await import('./serve.js')).registerServeCommand,
};

/**
 * Runs `blazeface` on `argv` (laid out as process.argv: node, the script, then the arguments).
 * Resolves to the code to exit with at once, after an error or --help; or to undefined when the
 * command ran to its end, leaving the process to end by itself (a server keeps it running) with
 * the exit code the command set.
 *
 * Usage errors (commander's, already printed as one line) and errors the user can act on
 * (bad file, unknown model, unsupported op, missing onnxruntime-node) are 2 after one line;
 * anything else is a bug in this tool and is 1. `--debug` adds the stack.
 */
export async function runProgram(argv: readonly string[]): Promise<number | undefined> {
  const args = argv.slice(2);
  const debug = args.includes('--debug');
  if (args.every((arg) => arg === '--debug')) {
    process.stderr.write(`error: give a command (${Object.keys(COMMANDS).join(', ')}); blazeface --help describes them\n`);
    return EXIT.badInput;
  }

  // Set before the commands are added: subcommands inherit the output and exit settings.
  const program = new Command('blazeface')
    .description('Convert MediaPipe BlazeFace TFLite models to ONNX and CoreML, checked against the real TFLite runtime')
    .version(CONVERTER_VERSION)
    .option('--debug', 'print stack traces of errors')
    .addHelpText('after', '\nExit status: 0 ok, 2 bad input or usage, 3 a parity check failed, 1 a bug in blazeface.')
    .exitOverride()
    // Commander adds a "(Did you mean ...?)" line; the CLI's errors are one line each.
    .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, ' ')}\n`) });

  try {
    // The program's own options are flags, so the first word that is not one names the command.
    // Without one, only help needs the commands (--version and an unknown option do not).
    const named = args.find((arg) => !arg.startsWith('-'));
    const listing = named !== undefined || args.includes('--help') || args.includes('-h');
    const loading = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : listing ? Object.keys(COMMANDS) : [];
    for (const register of await Promise.all(loading.map((name) => COMMANDS[name]!()))) register(program);
    await program.parseAsync(argv);
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof BlazefaceError) {
      process.stderr.write(`error: ${error.describe()}\n`);
      if (debug) process.stderr.write(`${error.stack}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
