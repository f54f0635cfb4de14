import { runProgram } from './program.js';

// A reader that stops early (`blazeface inspect x | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runProgram(process.argv);
if (code !== undefined) process.exit(code);
