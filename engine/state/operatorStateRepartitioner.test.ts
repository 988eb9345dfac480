import { describe, expect, it } from 'vitest';
import { decode, encode } from './codec.ts';
import { DefaultOperatorStateBackend } from './operatorState.ts';
import { javaHashMapOrder, repartitionOperatorState } from './operatorStateRepartitioner.ts';
import type { OperatorStateHandle, OperatorStateMode, StateValue } from './types.ts';

function handle(...states: [string, OperatorStateMode, StateValue[]][]): OperatorStateHandle {
  const encoded = states.map(([name, mode, values]) => ({
    name,
    mode,
    elements: values.map((v) => encode(v)),
  }));
  let stateSize = 0;
  for (const s of encoded) for (const e of s.elements) stateSize += e.length;
  return { kind: 'operator', states: encoded, stateSize };
}

/** What a new subtask sees for one state name, in restore order. */
function elementsOf(handles: readonly OperatorStateHandle[], name: string): StateValue[] {
  const out: StateValue[] = [];
  for (const h of handles)
    for (const s of h.states) if (s.name === name) for (const e of s.elements) out.push(decode(e));
  return out;
}

function rng(seed: number) {
  let x = seed | 0;
  return (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return Math.floor(((x >>> 8) / 16777216) * n);
  };
}

describe('java.util.HashMap iteration order of state names', () => {
  it('matches what Java 17 prints for the same insertions', () => {
    // printed by `new HashMap<>()` + put in this order + keySet() on Java 17
    expect(javaHashMapOrder(['a', 'zz'])).toEqual(['zz', 'a']);
    expect(javaHashMapOrder(['splits', 'offsets', 'buffer', 'pending-commits'])).toEqual([
      'splits',
      'offsets',
      'pending-commits',
      'buffer',
    ]);
    const fifteen = Array.from({ length: 15 }, (_, i) => `s${i}`); // 15 > 12: table resized to 32
    expect(javaHashMapOrder(fifteen).join(',')).toBe('s3,s4,s5,s6,s7,s8,s9,s11,s10,s13,s12,s14,s0,s1,s2');
    expect(javaHashMapOrder(['Aa', 'BB', 'x'])).toEqual(['Aa', 'BB', 'x']); // same hash: insertion order
  });
});

describe('RoundRobinOperatorStateRepartitioner (reference 4.3)', () => {
  it('splits [e1, e2] from p=1 to p=2 as [e1] and [e2]', () => {
    const out = repartitionOperatorState([handle(['s', 'SPLIT_DISTRIBUTE', ['e1', 'e2']])], 2);
    expect(out).toHaveLength(2);
    expect(elementsOf(out[0]!, 's')).toEqual(['e1']);
    expect(elementsOf(out[1]!, 's')).toEqual(['e2']);
  });

  it('gives subtask j the slice starting at j*base + min(j, r) for the first state name', () => {
    const values = Array.from({ length: 11 }, (_, i) => i);
    const old = [
      handle(['s', 'SPLIT_DISTRIBUTE', values.slice(0, 4)]),
      handle(['s', 'SPLIT_DISTRIBUTE', values.slice(4, 5)]),
      handle(['s', 'SPLIT_DISTRIBUTE', values.slice(5)]),
    ];
    const out = repartitionOperatorState(old, 4); // base 2, r 3: sizes 3,3,3,2
    expect(out.map((hs) => elementsOf(hs, 's'))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [9, 10],
    ]);
    // subtask 1 reads from old subtasks 0, 1 and 2: one handle each, in old-subtask order
    expect(out[1]!.length).toBe(3);
  });

  it('rotates the start index from one state name to the next', () => {
    // HashMap order of ["a", "b"] is a, b (buckets 1 and 2)
    const old = [
      handle(['a', 'SPLIT_DISTRIBUTE', ['a1', 'a2', 'a3']], ['b', 'SPLIT_DISTRIBUTE', ['b1', 'b2', 'b3']]),
    ];
    const out = repartitionOperatorState(old, 2);
    // a: base 1, r 1 -> subtask 0 gets 2; subtask 1 is the first with only `base`, so b starts at subtask 1
    expect(elementsOf(out[0]!, 'a')).toEqual(['a1', 'a2']);
    expect(elementsOf(out[1]!, 'a')).toEqual(['a3']);
    expect(elementsOf(out[1]!, 'b')).toEqual(['b1', 'b2']);
    expect(elementsOf(out[0]!, 'b')).toEqual(['b3']);
    // "zz" iterates before "a" in a Java HashMap, so zz is the state that starts at subtask 0
    const old2 = [
      handle(['a', 'SPLIT_DISTRIBUTE', ['a1', 'a2', 'a3']], ['zz', 'SPLIT_DISTRIBUTE', ['z1', 'z2', 'z3']]),
    ];
    const out2 = repartitionOperatorState(old2, 2);
    expect(elementsOf(out2[0]!, 'zz')).toEqual(['z1', 'z2']);
    expect(elementsOf(out2[1]!, 'a')).toEqual(['a1', 'a2']);
    expect(elementsOf(out2[0]!, 'a')).toEqual(['a3']);
  });

  it('keeps even-split invariants for many shapes: sizes differ by <= 1, order preserved from the start index', () => {
    const r = rng(3);
    for (let round = 0; round < 300; round++) {
      const pOld = 1 + r(5);
      let pNew = 1 + r(6);
      if (pNew === pOld) pNew = pOld + 1;
      const names = ['alpha', 'beta', 'gamma'].slice(0, 1 + r(3));
      let counter = 0;
      const all = new Map<string, number[]>(names.map((n) => [n, []]));
      const old = Array.from({ length: pOld }, () =>
        handle(
          ...names.map((n): [string, OperatorStateMode, StateValue[]] => {
            const values = Array.from({ length: r(5) }, () => counter++);
            all.get(n)!.push(...values);
            return [n, 'SPLIT_DISTRIBUTE', values];
          }),
        ),
      );
      const out = repartitionOperatorState(old, pNew);
      expect(out).toHaveLength(pNew);
      let start = 0;
      for (const name of javaHashMapOrder(names)) {
        const per = out.map((hs) => elementsOf(hs, name) as number[]);
        const sizes = per.map((x) => x.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        const total = all.get(name)!.length;
        const base = Math.floor(total / pNew);
        const rem = total % pNew;
        // concatenation from the start index reproduces the old concatenation
        const rotated: number[] = [];
        for (let i = 0; i < pNew; i++) rotated.push(...per[(start + i) % pNew]!);
        expect(rotated).toEqual(all.get(name));
        // the first `rem` visited subtasks get base + 1
        for (let i = 0; i < pNew; i++)
          expect(per[(start + i) % pNew]!.length).toBe(i < rem ? base + 1 : base);
        start = (start + rem) % pNew;
      }
    }
  });

  it('UNION: every new subtask gets all elements, in old-subtask order (also at equal parallelism)', () => {
    const old = [
      handle(['u', 'UNION', [1, 2]], ['s', 'SPLIT_DISTRIBUTE', ['x']]),
      handle(['u', 'UNION', [3]], ['s', 'SPLIT_DISTRIBUTE', ['y']]),
    ];
    for (const p of [1, 2, 3]) {
      const out = repartitionOperatorState(old, p);
      for (const hs of out) expect(elementsOf(hs, 'u')).toEqual([1, 2, 3]);
    }
    const same = repartitionOperatorState(old, 2);
    expect(elementsOf(same[0]!, 's')).toEqual(['x']); // split state unchanged at equal parallelism
    expect(elementsOf(same[1]!, 's')).toEqual(['y']);
  });

  it('BROADCAST: new subtask i reads the copy of old subtask i mod p_old', () => {
    const old = [0, 1, 2].map((i) => handle(['b', 'BROADCAST', [['k', i]]]));
    const up = repartitionOperatorState(old, 5);
    expect(up.map((hs) => elementsOf(hs, 'b'))).toEqual([0, 1, 2, 0, 1].map((i) => [['k', i]]));
    const down = repartitionOperatorState(old, 2);
    expect(down.map((hs) => elementsOf(hs, 'b'))).toEqual([[['k', 0]], [['k', 1]]]);
  });

  it('equal parallelism hands the old handles back unchanged, unless broadcast state is partly reported', () => {
    const old = [
      handle(['s', 'SPLIT_DISTRIBUTE', [1]], ['b', 'BROADCAST', [['k', 'v']]]),
      handle(['s', 'SPLIT_DISTRIBUTE', [2]], ['b', 'BROADCAST', [['k', 'v']]]),
    ];
    const out = repartitionOperatorState(old, 2);
    expect(out[0]).toEqual([old[0]]);
    expect(out[0]![0]).toBe(old[0]);
    expect(out[1]![0]).toBe(old[1]);

    const partial = [handle(['b', 'BROADCAST', [['k', 'v']]]), null];
    const fixed = repartitionOperatorState(partial, 2);
    expect(elementsOf(fixed[0]!, 'b')).toEqual([['k', 'v']]);
    expect(elementsOf(fixed[1]!, 'b')).toEqual([['k', 'v']]);
    expect(repartitionOperatorState([null, handle(['s', 'SPLIT_DISTRIBUTE', [1]])], 2)[0]).toEqual([]);
    expect(() => repartitionOperatorState(old, 0)).toThrow(/positive integer/);
  });

  it('end to end: operator state backends snapshot, repartition and restore', () => {
    const olds = [0, 1, 2].map((i) => {
      const b = new DefaultOperatorStateBackend();
      b.getListState<number>('offsets').addAll([i * 10, i * 10 + 1]);
      b.getUnionListState<string>('watermarks').add(`w${i}`);
      b.getBroadcastState<string, number>('rules').put('threshold', 5);
      return b;
    });
    const handles = olds.map((b) => b.snapshot());
    const assigned = repartitionOperatorState(handles, 2);
    const news = assigned.map((hs) => {
      const b = new DefaultOperatorStateBackend();
      b.restore(hs);
      return b;
    });
    expect(news.map((b) => b.getListState<number>('offsets').get())).toEqual([
      [0, 1, 10],
      [11, 20, 21],
    ]);
    for (const b of news) {
      expect(b.getUnionListState<string>('watermarks').get()).toEqual(['w0', 'w1', 'w2']);
      expect([...b.getBroadcastState<string, number>('rules').entries()]).toEqual([['threshold', 5]]);
    }
  });
});
