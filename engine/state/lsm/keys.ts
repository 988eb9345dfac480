/**
 * The LSM's key order (issue: key group first, then state name, key and namespace): one comparable string per
 * entry, `kg | name \0 keyJson \0 nsJson`, compared by UTF-16 code units (the same in every engine). The key group
 * is one code unit (maxParallelism <= 32768 < 0xD800, so never a surrogate), so all entries of a key group, and of
 * a key-group range, are contiguous: a range is read, snapshotted or restored on its own. JSON keeps keys and
 * namespaces typed (a number key is not the string key "1") and never contains a raw NUL, so the separators are
 * unambiguous.
 */
import type { Key, Namespace } from '../types.ts';

/** State name of event-time timers in the LSM (timer-service.factory ROCKSDB); never a user state name. */
export const TIMER_STATE = '\u0001timers';

export function entryKey(kg: number, name: string, key: Key, ns: Namespace): string {
  return String.fromCharCode(kg) + name + '\u0000' + JSON.stringify(key) + '\u0000' + JSON.stringify(ns);
}

/** The entry of an event-time timer (timer-service.factory ROCKSDB): namespace slot = [timestamp, namespace]. */
export function timerEntryKey(kg: number, key: Key, timestamp: number, ns: Namespace): string {
  return (
    String.fromCharCode(kg) +
    TIMER_STATE +
    '\u0000' +
    JSON.stringify(key) +
    '\u0000' +
    JSON.stringify([timestamp, ns])
  );
}

/** The first entry key of (kg, name, key): every namespace of that key sorts at or after it. */
export function keyPrefix(kg: number, name: string, keyJson: string): string {
  return String.fromCharCode(kg) + name + '\u0000' + keyJson + '\u0000';
}

export interface ParsedEntryKey {
  kg: number;
  name: string;
  key: Key;
  ns: Namespace;
  keyJson: string;
}

export function parseEntryKey(ck: string): ParsedEntryKey {
  const a = ck.indexOf('\u0000', 1);
  const b = ck.indexOf('\u0000', a + 1);
  if (a < 0 || b < 0) throw new Error('Corrupt LSM entry key');
  const keyJson = ck.slice(a + 1, b);
  return {
    kg: ck.charCodeAt(0),
    name: ck.slice(1, a),
    key: JSON.parse(keyJson) as Key,
    ns: JSON.parse(ck.slice(b + 1)) as Namespace,
    keyJson,
  };
}

export function keyGroupOf(ck: string): number {
  return ck.charCodeAt(0);
}

/** The filter's unit: a key of a key group, whatever its state or namespace (a prefix filter, as RocksDB's). */
export function filterKey(kg: number, keyJson: string): string {
  return String.fromCharCode(kg) + keyJson;
}

/** filterKey of an entry key. */
export function filterKeyOf(ck: string): string {
  const a = ck.indexOf('\u0000', 1);
  const b = ck.indexOf('\u0000', a + 1);
  return ck.charAt(0) + ck.slice(a + 1, b);
}

export function checkStateName(name: string): void {
  if (name.includes('\u0000') || name.startsWith('\u0001')) {
    throw new Error(`State name ${JSON.stringify(name)} may not contain NUL or start with \\u0001`);
  }
}
