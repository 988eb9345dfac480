/**
 * The CLI's error type and its I/O seam. Commands throw CliError for anything the user can fix (exit 2) or a
 * failed run (exit 1); runCli turns it into a message on stderr and the exit code, so tests never spawn a process.
 */

/** Exit codes: 0 ok, 1 runtime failure, 2 usage or validation error. */
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    /** The command whose usage to point at ("run", "keys"), or null. */
    readonly usageOf: string | null = null,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Everything the CLI touches outside itself. `readFile` rejects with a Node-style error (code ENOENT, ...). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
}
