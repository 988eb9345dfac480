import { describe, expect, it } from 'vitest';
import { CliError } from './errors.ts';
import { locateJsonError, parseJsonText } from './jsonText.ts';

describe('JSON with error positions', () => {
  it('parses valid JSON (and ignores a byte order mark)', () => {
    expect(parseJsonText('{"a": [1, 2.5e3, "x\\n", true, null]}', 'f.json')).toEqual({
      a: [1, 2500, 'x\n', true, null],
    });
    expect(parseJsonText('\ufeff{"a":1}', 'f.json')).toEqual({ a: 1 });
    expect(locateJsonError('{"a": [1, {"b": "\\u00e9"}]}')).toBeNull();
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1, "trailing comma before '}'"],
    ['{\n  "a": }', 2, 8, 'unexpected character "}", expected a value'],
    ['{"a" 1}', 1, 6, "expected ':' after the property name"],
    ['{"a": 1', 1, 8, "unexpected end of input, expected ',' or '}'"],
    ['', 1, 1, 'unexpected end of input, expected a value'],
    ['{"a": tru}', 1, 7, 'did you mean true?'],
    ['{"a": "x\ny"}', 1, 9, 'control character in a string'],
    ['[1 2]', 1, 4, "expected ',' or ']'"],
    ['{} x', 1, 4, 'unexpected content after the JSON value'],
    ["{'a': 1}", 1, 2, 'expected a double-quoted property name'],
    ['{"a": 01}', 1, 8, 'malformed number'],
    ['[1,]', 1, 4, "trailing comma before ']'"],
  ])('locates the error in %j', (text, line, column, problem) => {
    const loc = locateJsonError(text);
    expect(loc).toMatchObject({ line, column });
    expect(loc?.problem).toContain(problem);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('names the file, line and column and shows the line with a caret', () => {
    let error: unknown;
    try {
      parseJsonText('{\n  "name": "x",\n  "seed": 42,\n}\n', 'my.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toBe(
      "my.json:4:1: invalid JSON: trailing comma before '}'\n  }\n  ^",
    );
  });
});
