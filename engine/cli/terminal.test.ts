import { describe, expect, it } from 'vitest';
import { escapeControls, terminalSafeIo } from './terminal.ts';
import { memoryIo } from './memoryIo.ts';

describe('escapeControls', () => {
  it('spells terminal escapes, carriage returns and bidi overrides as \\u escapes', () => {
    expect(escapeControls('a\u001b]0;pwned\u0007b')).toBe('a\\u001b]0;pwned\\u0007b');
    expect(escapeControls('x\u001b[2Jy\rz')).toBe('x\\u001b[2Jy\\u000dz');
    expect(escapeControls('\u009b31m\u202eevil')).toBe('\\u009b31m\\u202eevil');
  });

  it('keeps newlines, tabs and ordinary text (also non-Latin)', () => {
    const text = 'Scenario\tClick — Zähler 点击\n  next line\n';
    expect(escapeControls(text)).toBe(text);
  });

  it('keeps JSON valid and equal after a round trip', () => {
    const value = { name: 'a\u001b[31mred\u0085\u202e', n: 1 };
    const json = escapeControls(JSON.stringify(value));
    expect(['\u001b', '\u0085', '\u202e'].some((c) => json.includes(c))).toBe(false);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('wraps a CliIo', () => {
    const io = memoryIo();
    const safe = terminalSafeIo(io);
    safe.stdout('\u001b[2J');
    safe.stderr('\u0007');
    expect(io.out()).toBe('\\u001b[2J');
    expect(io.err()).toBe('\\u0007');
  });
});
