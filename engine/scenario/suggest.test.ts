import { describe, expect, it } from 'vitest';
import { closest, editDistance, formatPath, quoteList } from './suggest.ts';

describe('suggest', () => {
  it('measures edits, counting a transposition as one', () => {
    expect(editDistance('paralelism', 'parallelism')).toBe(1);
    expect(editDistance('inptu', 'input')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(closest('paralelism', ['parallelism', 'name'])).toBe('parallelism');
    expect(closest('foo', ['job', 'name'])).toBeNull();
    expect(closest('interval', ['execution.checkpointing.interval', 'heartbeat.timeout'])).toBe(
      'execution.checkpointing.interval',
    );
  });

  it('formats JSON paths', () => {
    expect(formatPath(['job', 'operators', 1, 'window'])).toBe('job.operators[1].window');
    expect(formatPath(['config', 'execution.checkpointing.interval'])).toBe(
      'config["execution.checkpointing.interval"]',
    );
    expect(formatPath([])).toBe('');
  });

  it('quotes lists', () => {
    expect(quoteList(['a', 'b', 'c'])).toBe('"a", "b" or "c"');
    expect(quoteList([1])).toBe('1');
  });
});
