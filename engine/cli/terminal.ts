/**
 * Terminal safety for the CLI's output: scenario text (name, description, ids, values quoted in messages) is the
 * user's, and a scenario file may carry terminal escape sequences ("\u001b]0;pwned\u0007", "\u001b[2J") or
 * bidirectional overrides that would rewrite the user's terminal or disguise what it shows. Everything the CLI
 * writes passes through `escapeControls`, which spells such characters as JSON-style `\uXXXX` escapes. Newlines
 * and tabs stay (they are the CLI's own layout); JSON printed with --json stays valid JSON (a `\uXXXX` escape
 * inside a JSON string reads back as the same character, and JSON.stringify never emits raw control characters
 * outside strings).
 */
import type { CliIo } from './errors.ts';

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embedding/override/isolate marks. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same I/O with every character written to stdout and stderr passed through escapeControls. */
export function terminalSafeIo(io: CliIo): CliIo {
  return {
    stdout: (text) => io.stdout(escapeControls(text)),
    stderr: (text) => io.stderr(escapeControls(text)),
    readFile: (path) => io.readFile(path),
  };
}
