/**
 * JSON.parse with an error that names the file, the line and the column. V8's messages only sometimes carry a
 * position ("Unexpected token '}', ... is not valid JSON" does not), so when JSON.parse fails a small strict
 * scanner finds the first offending character itself.
 */
import { CliError } from './errors.ts';

export interface JsonErrorLocation {
  /** 0-based offset in UTF-16 code units. */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly problem: string;
}

class JsonSyntax extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const MAX_DEPTH = 1000;

/** Strict JSON (RFC 8259) scanner that throws at the first error. */
class Scanner {
  private i = 0;
  constructor(private readonly text: string) {}

  document(): void {
    this.value(0);
    this.ws();
    if (this.i < this.text.length) this.fail('unexpected content after the JSON value');
  }

  private fail(problem: string): never {
    throw new JsonSyntax(this.i, problem);
  }

  private describe(): string {
    if (this.i >= this.text.length) return 'unexpected end of input';
    return `unexpected character ${JSON.stringify(this.text[this.i])}`;
  }

  private ws(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else return;
    }
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    this.ws();
    const c = this.text[this.i];
    if (c === '{') this.object(depth);
    else if (c === '[') this.array(depth);
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else this.fail(`${this.describe()}, expected a value`);
  }

  private object(depth: number): void {
    this.i++; // {
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') {
        this.fail(`${this.describe()}, expected a double-quoted property name`);
      }
      this.string();
      this.ws();
      if (this.text[this.i] !== ':') this.fail(`${this.describe()}, expected ':' after the property name`);
      this.i++;
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        this.ws();
        if (this.text[this.i] === '}') this.fail("trailing comma before '}'");
        continue;
      }
      if (c === '}') {
        this.i++;
        return;
      }
      this.fail(`${this.describe()}, expected ',' or '}' after a property value`);
    }
  }

  private array(depth: number): void {
    this.i++; // [
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        this.ws();
        if (this.text[this.i] === ']') this.fail("trailing comma before ']'");
        continue;
      }
      if (c === ']') {
        this.i++;
        return;
      }
      this.fail(`${this.describe()}, expected ',' or ']' after an array element`);
    }
  }

  private string(): void {
    this.i++; // opening quote
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < ' ') this.fail('control character in a string (escape it, e.g. \\n)');
      if (c === '\\') {
        const e = this.text[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
            this.fail('bad \\u escape (expected 4 hex digits)');
          }
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('bad escape in a string');
        this.i += 2;
        continue;
      }
      this.i++;
    }
  }

  private number(): void {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(
      this.text.slice(this.i, this.i + 400),
    );
    if (m === null) this.fail('malformed number');
    this.i += m[0].length;
    const c = this.text[this.i];
    if (c !== undefined && /[0-9.eE+-]/.test(c)) this.fail('malformed number');
  }

  private literal(word: string): void {
    if (this.text.startsWith(word, this.i)) {
      this.i += word.length;
      return;
    }
    this.fail(`${this.describe()}, expected a value (did you mean ${word}?)`);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where `text` stops being valid JSON, or null if it is valid. */
export function locateJsonError(text: string): JsonErrorLocation | null {
  try {
    new Scanner(text).document();
    return null;
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    return { offset: e.offset, ...lineAndColumn(text, e.offset), problem: e.problem };
  }
}

/** The offending line with a caret under the column (tabs kept so the caret lines up). */
function excerpt(text: string, loc: JsonErrorLocation): string {
  const start = loc.offset - (loc.column - 1);
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end).replace(/\r$/, '');
  if (line.length > 200) return '';
  const pad = line.slice(0, loc.column - 1).replace(/[^\t]/g, ' ');
  return `\n  ${line}\n  ${pad}^`;
}

/**
 * Parses `text`; on a syntax error throws CliError (exit 2) reading
 * `<name>:<line>:<column>: invalid JSON: <problem>` followed by the offending line and a caret.
 */
export function parseJsonText(input: string, name: string): unknown {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // a UTF-8 byte order mark
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const loc = locateJsonError(text);
    if (loc === null) {
      // JSON.parse failed but the scanner accepted it: report V8's message as is.
      throw new CliError(`${name}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`, 2);
    }
    throw new CliError(
      `${name}:${loc.line}:${loc.column}: invalid JSON: ${loc.problem}${excerpt(text, loc)}`,
      2,
    );
  }
}
