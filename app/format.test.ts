import { describe, expect, it } from 'vitest';
import { formatBytes, formatCompact, formatEventTime, formatTime, truncate } from './format.ts';

describe('format', () => {
  it('shows virtual time in seconds with milliseconds', () => {
    expect(formatTime(0)).toBe('0.000 s');
    expect(formatTime(12_345_000)).toBe('12.345 s');
    expect(formatTime(20_000_000)).toBe('20.000 s');
  });
  it('shortens counts and bytes', () => {
    expect(formatCompact(999)).toBe('999');
    expect(formatCompact(8_001)).toBe('8.0k');
    expect(formatCompact(41_000)).toBe('41k');
    expect(formatCompact(1_500_000)).toBe('1.5M');
    expect(formatBytes(204)).toBe('204 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
  });
  it('shows event time as UTC time of day', () => {
    expect(formatEventTime(null)).toBe('—');
    expect(formatEventTime(39_789)).toBe('00:00:39.789');
    expect(formatEventTime(3_600_000 + 61_001)).toBe('01:01:01.001');
  });
  it('truncates with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('ClickEventStatistics Sink', 10)).toBe('ClickEven…');
  });
});
