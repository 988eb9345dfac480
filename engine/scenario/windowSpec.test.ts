import { describe, expect, it } from 'vitest';
import { WindowError, formatWindow, parseWindow } from './windowSpec.ts';

describe('parseWindow', () => {
  it.each([
    ['tumbling 15s', { type: 'tumbling', sizeMs: 15_000, offsetMs: 0 }],
    ['tumbling 15 s', { type: 'tumbling', sizeMs: 15_000, offsetMs: 0 }],
    ['Tumbling 1 min offset 5s', { type: 'tumbling', sizeMs: 60_000, offsetMs: 5000 }],
    ['tumbling 1h offset 30 min', { type: 'tumbling', sizeMs: 3_600_000, offsetMs: 1_800_000 }],
    ['tumbling 500', { type: 'tumbling', sizeMs: 500, offsetMs: 0 }],
    ['sliding 30s 10s', { type: 'sliding', sizeMs: 30_000, slideMs: 10_000, offsetMs: 0 }],
    ['sliding 30 s every 10 s', { type: 'sliding', sizeMs: 30_000, slideMs: 10_000, offsetMs: 0 }],
    ['sliding 30 s 10 s', { type: 'sliding', sizeMs: 30_000, slideMs: 10_000, offsetMs: 0 }],
    ['sliding 10s 5s offset 1s', { type: 'sliding', sizeMs: 10_000, slideMs: 5000, offsetMs: 1000 }],
    ['sliding 1 minute every 15 seconds', { type: 'sliding', sizeMs: 60_000, slideMs: 15_000, offsetMs: 0 }],
    ['sliding 10s 10s', { type: 'sliding', sizeMs: 10_000, slideMs: 10_000, offsetMs: 0 }],
  ])('parses %j', (text, spec) => {
    expect(parseWindow(text)).toEqual(spec);
  });

  it.each([
    ['tumbling fast', /expected a window like "tumbling 15s"/],
    ['session 5s', /unknown window type "session"/],
    ['', /expected a window like/],
    ['tumbling', /a tumbling window takes one size/],
    ['tumbling 10s 5s', /a tumbling window takes one size/],
    ['sliding 30s', /a sliding window takes a size and a slide/],
    ['sliding 30s every', /a sliding window takes a size and a slide/],
    ['sliding 10s 30s', /window slide \(30s\) must not be larger than the size \(10s\)/],
    ['tumbling 0s', /window size must be greater than 0/],
    ['sliding 10s 0s', /window slide must be greater than 0/],
    ['tumbling 1500 us', /whole number of milliseconds/],
    ['tumbling 10s offset 10s', /abs\(offset\) < size/],
    ['sliding 10s 5s offset 5s', /abs\(offset\) < slide/],
    ['tumbling 10s offset', /"offset" must be followed by exactly one duration/],
    ['tumbling 10 parsecs', /cannot read "parsecs"/],
  ])('rejects %j', (text, message) => {
    expect(() => parseWindow(text)).toThrow(WindowError);
    expect(() => parseWindow(text)).toThrow(message);
  });

  it('formats a window back to its canonical text', () => {
    expect(formatWindow(parseWindow('tumbling 15s'))).toBe('tumbling 15 s');
    expect(formatWindow(parseWindow('sliding 30s 10s offset 2s'))).toBe('sliding 30 s every 10 s offset 2 s');
    expect(parseWindow(formatWindow(parseWindow('sliding 1 min 250 ms')))).toEqual(
      parseWindow('sliding 60s 250ms'),
    );
  });
});
