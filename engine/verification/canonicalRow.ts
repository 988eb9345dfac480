import type { Row } from '../scenario/types.ts';

/** Canonical text of a record: its fields in sorted order, so equal records compare equal as text. */
export function canonicalRow(r: Row): string {
  return JSON.stringify(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );
}
