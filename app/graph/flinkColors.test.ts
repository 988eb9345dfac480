import { describe, expect, it } from 'vitest';
import { blend, loadColors } from './flinkColors.ts';

describe('Flink web UI node colours', () => {
  it('blends linearly between two colours', () => {
    expect(blend('#000000', '#ffffff', 0)).toBe('#000000');
    expect(blend('#000000', '#ffffff', 1)).toBe('#ffffff');
    expect(blend('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(blend('#000000', '#ffffff', 2)).toBe('#ffffff');
  });
  it('is blue when idle, red when busy, grey when back-pressured', () => {
    expect(loadColors(0, 0)).toEqual({ fill: '#5db1ff', stroke: '#1890ff' });
    expect(loadColors(1, 0)).toEqual({ fill: '#ee6464', stroke: '#ee2222' });
    expect(loadColors(0, 1)).toEqual({ fill: '#888888', stroke: '#000000' });
    expect(loadColors(1, 1).fill).toBe('#888888');
  });
});
