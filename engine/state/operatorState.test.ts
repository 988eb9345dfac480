import { describe, expect, it } from 'vitest';
import { decode } from './codec.ts';
import { DefaultOperatorStateBackend } from './operatorState.ts';

describe('DefaultOperatorStateBackend (reference 4.3, 4.4)', () => {
  it('snapshots every registered state with its mode and restores it into a fresh backend', () => {
    const b = new DefaultOperatorStateBackend();
    const splits = b.getListState<[number, number]>('splits');
    splits.add([0, 17]);
    splits.add([1, -3]);
    b.getUnionListState<string>('union').addAll(['ключ', '😀']);
    b.getListState('empty');
    const rules = b.getBroadcastState<string | number, StateValueLike>('rules');
    rules.put('a', { limit: 3 });
    rules.put(7, null);

    const h = b.snapshot();
    expect(h.kind).toBe('operator');
    expect(h.states.map((s) => [s.name, s.mode, s.elements.length])).toEqual([
      ['splits', 'SPLIT_DISTRIBUTE', 2],
      ['union', 'UNION', 2],
      ['empty', 'SPLIT_DISTRIBUTE', 0],
      ['rules', 'BROADCAST', 2],
    ]);
    expect(decode(h.states[3]!.elements[0]!)).toEqual(['a', { limit: 3 }]);
    const bytes = h.states.reduce((n, s) => n + s.elements.reduce((m, e) => m + e.length, 0), 0);
    expect(h.stateSize).toBe(bytes);
    expect(b.stateSize()).toBe(bytes);

    const r = new DefaultOperatorStateBackend();
    r.restore([h]);
    expect(r.getListState('splits').get()).toEqual([
      [0, 17],
      [1, -3],
    ]);
    expect(r.getUnionListState('union').get()).toEqual(['ключ', '😀']);
    expect([...r.getBroadcastState('rules').entries()]).toEqual([
      ['a', { limit: 3 }],
      [7, null],
    ]);
    expect(r.stateNames()).toEqual(['splits', 'union', 'empty', 'rules']);
    expect(r.snapshot()).toEqual(h);
  });

  it('restore replaces contents and keeps state objects valid', () => {
    const b = new DefaultOperatorStateBackend();
    const l = b.getListState<number>('l');
    l.addAll([1, 2]);
    const h = b.snapshot();
    l.add(3);
    b.getBroadcastState<string, number>('bc').put('x', 1);
    b.restore([h, h]);
    expect(l.get()).toEqual([1, 2, 1, 2]);
    expect([...b.getBroadcastState('bc').entries()]).toEqual([]);
  });

  it('list and broadcast operations', () => {
    const b = new DefaultOperatorStateBackend();
    const l = b.getListState<number>('l');
    expect(b.getListState('l')).toBe(l);
    l.update([4, 5]);
    expect(l.get()).toEqual([4, 5]);
    l.clear();
    expect(l.get()).toEqual([]);
    expect(() => l.add(null as unknown as number)).toThrow('You cannot add null to a ListState.');
    expect(() => l.update([1, null as unknown as number])).toThrow('You cannot add null to a ListState.');
    const bc = b.getBroadcastState<string, number>('bc');
    bc.put('a', 1);
    expect(bc.get('a')).toBe(1);
    expect(bc.contains('a')).toBe(true);
    bc.remove('a');
    expect(bc.contains('a')).toBe(false);
    bc.put('b', 2);
    bc.clear();
    expect([...bc.entries()]).toEqual([]);
    expect(b.stateSize()).toBe(0);
  });

  it('rejects the same name with another redistribution mode', () => {
    const b = new DefaultOperatorStateBackend();
    b.getListState('x');
    expect(() => b.getUnionListState('x')).toThrow(
      'Incompatible state assignment modes. Was [SPLIT_DISTRIBUTE], registered with [UNION].',
    );
    expect(() => b.getBroadcastState('x')).toThrow(/Incompatible state assignment modes/);
    b.getBroadcastState('y');
    expect(() => b.getListState('y')).toThrow(/already registered as broadcast state/);
  });
});

type StateValueLike = { limit: number } | null;
