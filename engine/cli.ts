/**
 * The headless runner: `npm run sim -- <command>` (see engine/cli/usage.ts). Thin shell around runCli in
 * engine/cli/main.ts; this file only connects it to the process.
 */
import { readFile } from 'node:fs/promises';
import { runCli } from './cli/main.ts';

// A closed pipe (`... | head`) is not an error of the run.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
});
// Exit once everything written has been flushed (stdout may be an asynchronous pipe).
process.stdout.write('', () => process.exit(code));
