/** An in-memory CliIo for tests and embedding: captures stdout/stderr, serves files from a map. */
import type { CliIo } from './errors.ts';

export interface MemoryIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function memoryIo(files: Readonly<Record<string, string>> = {}): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readFile: (path) => {
      const text = files[path];
      if (text !== undefined) return Promise.resolve(text);
      const e = Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
        code: 'ENOENT',
      });
      return Promise.reject(e);
    },
    out: () => out,
    err: () => err,
  };
}
