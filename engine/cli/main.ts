/**
 * The headless runner's entry point as a function: `runCli(argv, io)` returns the exit code, so tests call it
 * directly. engine/cli.ts wires it to process.argv, stdout/stderr and the file system.
 */
import { didYouMean } from '../scenario/suggest.ts';
import { CliError, EXIT_RUNTIME, EXIT_USAGE, type CliIo } from './errors.ts';
import { exportFlinkCommand } from './exportFlinkCommand.ts';
import { inspectCommand } from './inspectCommand.ts';
import { keysCommand } from './keysCommand.ts';
import { presetsCommand } from './presetsCommand.ts';
import { runCommand } from './runCommand.ts';
import { terminalSafeIo } from './terminal.ts';
import { verifyCommand } from './verifyCommand.ts';
import { COMMAND_NAMES, usageText } from './usage.ts';

export type { CliIo } from './errors.ts';

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

async function dispatch(command: string, rest: readonly string[], io: CliIo): Promise<number> {
  if (command === 'help' || command === '--help' || command === '-h') {
    const first = rest[0];
    const topic = first === '--help' || first === '-h' ? 'help' : first;
    if (topic !== undefined && !(COMMAND_NAMES as readonly string[]).includes(topic)) {
      throw new CliError(`no help for "${topic}": commands are ${COMMAND_NAMES.join(', ')}`, EXIT_USAGE, '');
    }
    io.stdout(usageText(topic));
    return 0;
  }
  if ((COMMAND_NAMES as readonly string[]).includes(command) && wantsHelp(rest)) {
    io.stdout(usageText(command));
    return 0;
  }
  switch (command) {
    case 'run':
      return runCommand(rest, io);
    case 'keys':
      return keysCommand(rest, io);
    case 'presets':
      return presetsCommand(rest, io);
    case 'verify':
      return verifyCommand(rest, io);
    case 'link':
      return (await import('./linkCommand.ts')).linkCommand(rest, io);
    case 'inspect':
      return inspectCommand(rest, io);
    case 'export-flink':
      return exportFlinkCommand(rest, io);
    default: {
      const what = command.startsWith('-') ? `option ${command} before a command` : `command "${command}"`;
      throw new CliError(
        `unknown ${what}${didYouMean(command, COMMAND_NAMES)}; commands: ${COMMAND_NAMES.join(', ')}`,
        EXIT_USAGE,
        '',
      );
    }
  }
}

/**
 * Runs the CLI on `argv` (the words after the script name) and returns the exit code. Never throws. Everything
 * written goes through terminalSafeIo: control characters in scenario text are escaped, never sent raw.
 */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // Scenario text reaches the terminal only with its control characters escaped (./terminal.ts).
  const io = terminalSafeIo(rawIo);
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stdout(usageText());
    return 0;
  }
  try {
    return await dispatch(command, rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`error: ${e.message}\n`);
      if (e.usageOf !== null) io.stderr(`(see: npm run sim -- ${`help ${e.usageOf}`.trim()})\n`);
      return e.exitCode;
    }
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    io.stderr(`error: unexpected failure: ${detail}\n`);
    return EXIT_RUNTIME;
  }
}
