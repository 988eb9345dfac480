/** map, filter, flatMap and union: parameterised stateless operators. */
import type { FieldValue, FilterOp, FlatMapOp, MapFn, MapOp, Predicate, Row } from '../scenario/types.ts';
import { StreamOperator } from './operator.ts';

function applyMap(fn: MapFn, row: Row): Row {
  switch (fn.type) {
    case 'identity':
      return row;
    case 'project': {
      const r: Row = {};
      for (const f of fn.fields) {
        const v = row[f];
        if (v !== undefined) r[f] = v;
      }
      return r;
    }
    case 'set':
      return { ...row, [fn.field]: fn.value };
    case 'upper':
    case 'lower': {
      const v = row[fn.field];
      if (typeof v !== 'string') return row;
      return { ...row, [fn.field]: fn.type === 'upper' ? v.toUpperCase() : v.toLowerCase() };
    }
    case 'length': {
      const v = row[fn.field];
      return { ...row, [fn.into]: typeof v === 'string' ? v.length : String(v ?? '').length };
    }
    case 'modulo': {
      const v = row[fn.field];
      const n = typeof v === 'number' ? v : Number(v);
      const m = ((n % fn.by) + fn.by) % fn.by;
      return { ...row, [fn.into]: Number.isFinite(m) ? m : 0 };
    }
  }
}

function compare(a: FieldValue, b: FieldValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function testPredicate(p: Predicate, row: Row): boolean {
  const v = row[p.field];
  if (v === undefined) return false;
  const val = p.value;
  switch (p.op) {
    case 'eq':
      return !Array.isArray(val) && v === val;
    case 'ne':
      return Array.isArray(val) || v !== val;
    case 'lt':
      return !Array.isArray(val) && compare(v, val) < 0;
    case 'lte':
      return !Array.isArray(val) && compare(v, val) <= 0;
    case 'gt':
      return !Array.isArray(val) && compare(v, val) > 0;
    case 'gte':
      return !Array.isArray(val) && compare(v, val) >= 0;
    case 'in':
      return Array.isArray(val) && val.includes(v);
    case 'notIn':
      return Array.isArray(val) && !val.includes(v);
    case 'startsWith':
      return typeof v === 'string' && typeof val === 'string' && v.startsWith(val);
    case 'mod': {
      if (!Array.isArray(val) || typeof v !== 'number') return false;
      const d = Number(val[0]);
      const r = Number(val[1]);
      return ((v % d) + d) % d === r;
    }
  }
}

export class MapOperator extends StreamOperator {
  constructor(private readonly spec: MapOp) {
    super();
  }
  processElement(row: Row, ts: number): void {
    this.out.collect(applyMap(this.spec.fn, row), ts);
  }
}

export class FilterOperator extends StreamOperator {
  constructor(private readonly spec: FilterOp) {
    super();
  }
  processElement(row: Row, ts: number): void {
    if (testPredicate(this.spec.where, row)) this.out.collect(row, ts);
  }
}

export class FlatMapOperator extends StreamOperator {
  constructor(private readonly spec: FlatMapOp) {
    super();
  }
  processElement(row: Row, ts: number): void {
    const fn = this.spec.fn;
    if (fn.type === 'repeat') {
      for (let i = 0; i < fn.times; i++) this.out.collect(row, ts);
      return;
    }
    const v = row[fn.field];
    if (typeof v !== 'string') return;
    for (const part of v.split(fn.separator)) {
      if (part.length === 0) continue;
      const r: Row = { ...row, [fn.into]: part };
      delete r[fn.field];
      this.out.collect(r, ts);
    }
  }
}

/** Union: the records of all inputs, unchanged (Flink's union is a pass-through of several inputs). */
export class UnionOperator extends StreamOperator {
  processElement(row: Row, ts: number): void {
    this.out.collect(row, ts);
  }
}
