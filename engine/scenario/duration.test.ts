import { describe, expect, it } from 'vitest';
import {
  DurationError,
  MemorySizeError,
  formatDuration,
  formatMemorySize,
  parseDuration,
  parseMemorySize,
} from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['1s', 1_000_000],
    ['500 ms', 500_000],
    ['15 s', 15_000_000],
    ['1 min', 60_000_000],
    ['10 min', 600_000_000],
    ['2ms', 2000],
    ['1h', 3_600_000_000],
    ['1000', 1_000_000],
    ['0', 0],
    ['  5  s ', 5_000_000],
    ['1d', 86_400_000_000],
    ['2 days', 172_800_000_000],
    ['3 hours', 10_800_000_000],
    ['1 hour', 3_600_000_000],
    ['1m', 60_000_000],
    ['2 mins', 120_000_000],
    ['1 minute', 60_000_000],
    ['2 minutes', 120_000_000],
    ['4 sec', 4_000_000],
    ['4 secs', 4_000_000],
    ['1 second', 1_000_000],
    ['3 seconds', 3_000_000],
    ['7 milli', 7000],
    ['7 millis', 7000],
    ['7 millisecond', 7000],
    ['7 milliseconds', 7000],
    ['250 µs', 250],
    ['250 us', 250],
    ['250 micro', 250],
    ['250 micros', 250],
    ['250 microsecond', 250],
    ['250 microseconds', 250],
    ['3000 ns', 3],
    ['3000 nano', 3],
    ['3000 nanos', 3],
    ['3000 nanosecond', 3],
    ['3000 nanoseconds', 3],
    ['1S', 1_000_000],
    ['10 MIN', 600_000_000],
    ['1.5 s', 1_500_000],
  ])('parses %j', (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  it('reads a JSON number as milliseconds (Flink default unit)', () => {
    expect(parseDuration(1000)).toBe(1_000_000);
    expect(parseDuration(0.5)).toBe(500);
    expect(parseDuration(0)).toBe(0);
  });

  it.each(['fast', '', 's', '1 parsec', '-1 s', '1500 ns', '1.0000001 ms', '1e3 ms', '10 s 5'])(
    'rejects %j with a message naming the input and the accepted forms',
    (text) => {
      expect(() => parseDuration(text)).toThrow(DurationError);
      try {
        parseDuration(text);
      } catch (e) {
        const message = (e as Error).message;
        expect(message).toContain(JSON.stringify(text));
        expect(message).toContain('"500 ms"');
        expect(message).toContain('a bare number means milliseconds');
      }
    },
  );

  it('explains the specific problem', () => {
    expect(() => parseDuration('5 sex')).toThrow(/unknown time unit "sex"/);
    expect(() => parseDuration('-5 s')).toThrow(/cannot be negative/);
    expect(() => parseDuration(-1)).toThrow(/cannot be negative/);
    expect(() => parseDuration('1 ns')).toThrow(/whole number of microseconds/);
    expect(() => parseDuration(Number.NaN)).toThrow(DurationError);
    expect(() => parseDuration('99999999999999 d')).toThrow(/too large/);
  });

  it('round-trips through formatDuration', () => {
    for (const text of ['1 s', '500 ms', '10 min', '1 h', '2 d', '250 µs', '0 ms', '90 s', '1500 ms']) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
    expect(formatDuration(60_000_000)).toBe('1 min');
    expect(formatDuration(1_500_000)).toBe('1500 ms');
  });
});

describe('parseMemorySize', () => {
  it.each([
    ['32kb', 32 * 1024],
    ['32 kb', 32 * 1024],
    ['5 mb', 5 * 1024 * 1024],
    ['4096', 4096],
    ['1 k', 1024],
    ['2m', 2 * 1024 * 1024],
    ['1g', 1024 ** 3],
    ['1 gb', 1024 ** 3],
    ['100 b', 100],
    ['100 bytes', 100],
    ['3 kibibytes', 3072],
    ['1 mebibytes', 1024 * 1024],
    ['1 KB', 1024],
    ['0.5 kb', 512],
  ])('parses %j', (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });

  it('reads a JSON number as bytes', () => {
    expect(parseMemorySize(4096)).toBe(4096);
  });

  it.each(['big', '5 parsecs', '-1 kb', '0.3 b'])('rejects %j', (text) => {
    expect(() => parseMemorySize(text)).toThrow(MemorySizeError);
    expect(() => parseMemorySize(text)).toThrow(/"32 kb"/);
  });

  it('formats with the largest exact unit', () => {
    expect(formatMemorySize(32 * 1024)).toBe('32 kb');
    expect(formatMemorySize(5 * 1024 * 1024)).toBe('5 mb');
    expect(formatMemorySize(100)).toBe('100 bytes');
    expect(formatMemorySize(0)).toBe('0 bytes');
  });
});
