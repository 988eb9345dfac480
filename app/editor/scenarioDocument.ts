/**
 * The scenario document the editor and the quick switches edit: the same raw JSON the CLI reads (DESIGN: The
 * scenario). Pure helpers: where the current document comes from, small edits, and the paths the engine's
 * validator reports (`job.operators[2].delivery`, `config["execution.checkpointing.interval"]`) as segments.
 */
import { configKeySpec } from '../../engine/scenario/config.ts';
import { getPreset } from '../../engine/scenario/presets.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Delivery = 'at-least-once' | 'idempotent' | 'exactly-once';
export const DELIVERIES: readonly Delivery[] = ['at-least-once', 'idempotent', 'exactly-once'];

/** Where the loaded scenario came from (the store's ScenarioSource; repeated so Node tests need no DOM types). */
export type DocumentSource = { kind: 'preset'; id: string } | { kind: 'json'; json: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** A fresh copy of the document of the loaded scenario, or null when there is none (or it is not an object). */
export function documentOf(source: DocumentSource | null): JsonObject | null {
  if (source === null) return null;
  let doc: unknown;
  if (source.kind === 'preset') doc = getPreset(source.id)?.scenario;
  else if (typeof source.json === 'string') {
    try {
      doc = JSON.parse(source.json) as unknown;
    } catch {
      return null;
    }
  } else doc = source.json;
  return isObject(doc) ? clone(doc) : null;
}

/** The operators list of a document (empty when missing or malformed). */
export function operatorsOf(doc: JsonObject): JsonObject[] {
  const job = doc.job;
  if (!isObject(job) || !Array.isArray(job.operators)) return [];
  return job.operators.filter(isObject);
}

export function sinksOf(doc: JsonObject): JsonObject[] {
  return operatorsOf(doc).filter((o) => o.kind === 'sink');
}

/** A sink's delivery as the engine reads it (absent = at-least-once, the schema's default). */
export function deliveryOf(sink: JsonObject): Delivery {
  const d = sink.delivery;
  return typeof d === 'string' && (DELIVERIES as readonly string[]).includes(d)
    ? (d as Delivery)
    : 'at-least-once';
}

/** The delivery shared by all sinks (or of the one named), or 'mixed'. */
export function sinkDelivery(doc: JsonObject, sinkId?: string): Delivery | 'mixed' | null {
  const sinks = sinksOf(doc).filter((s) => sinkId === undefined || s.id === sinkId);
  const first = sinks[0];
  if (first === undefined) return null;
  const d = deliveryOf(first);
  return sinks.every((s) => deliveryOf(s) === d) ? d : 'mixed';
}

/** A copy with the delivery of every sink (or of the one named) set. */
export function withSinkDelivery(doc: JsonObject, delivery: Delivery, sinkId?: string): JsonObject {
  const out = clone(doc);
  for (const s of sinksOf(out)) if (sinkId === undefined || s.id === sinkId) s.delivery = delivery;
  return out;
}

/** The key under which the document sets a Flink option (its current name or a deprecated alias), or null. */
export function configEntry(doc: JsonObject, key: string): { key: string; value: Json } | null {
  const config = doc.config;
  if (!isObject(config)) return null;
  if (key in config) return { key, value: config[key] ?? null };
  const spec = configKeySpec(key);
  for (const alias of spec?.aliases ?? [])
    if (alias in config) return { key: alias, value: config[alias] ?? null };
  return null;
}

/** A copy with a Flink option set under its current name (aliases removed), or removed when `value` is undefined. */
export function withConfig(doc: JsonObject, key: string, value: Json | undefined): JsonObject {
  const out = clone(doc);
  const config: JsonObject = isObject(out.config) ? out.config : {};
  const spec = configKeySpec(key);
  for (const k of [key, ...(spec?.aliases ?? [])]) delete config[k];
  if (value !== undefined) config[key] = value;
  out.config = config;
  return out;
}

/** `job.operators[2]["a b"]` -> ['job', 'operators', 2, 'a b'] (the inverse of the engine's formatPath). */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
    } else if (c === '[') {
      const end = path[i + 1] === '"' ? closingQuote(path, i + 2) + 1 : path.indexOf(']', i);
      const inner = path.slice(i + 1, end < 0 ? path.length : end);
      if (inner.startsWith('"')) {
        try {
          out.push(JSON.parse(inner) as string);
        } catch {
          out.push(inner);
        }
      } else out.push(Number(inner));
      i = end < 0 ? path.length : end + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

function closingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return s.length - 1;
}

/** The engine's path notation for segments (same as engine/scenario/suggest.ts formatPath). */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** The value at a path, or undefined. */
export function getIn(doc: Json, path: readonly (string | number)[]): Json | undefined {
  let cur: Json | undefined = doc;
  for (const p of path) {
    if (typeof p === 'number') cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = isObject(cur) ? cur[p] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * A copy with the value at `path` set (objects created on the way), or the key removed when `value` is
 * undefined (an empty object left behind is removed too, except at the top).
 */
export function setIn(
  doc: JsonObject,
  path: readonly (string | number)[],
  value: Json | undefined,
): JsonObject {
  const out = clone(doc);
  const parents: Json[] = [out];
  let cur: Json = out;
  for (let i = 0; i < path.length - 1; i++) {
    const p = path[i] as string | number;
    const next = path[i + 1];
    let child: Json | undefined =
      typeof p === 'number' ? (Array.isArray(cur) ? cur[p] : undefined) : isObject(cur) ? cur[p] : undefined;
    if (child === undefined || child === null || typeof child !== 'object') {
      if (value === undefined) return out;
      child = typeof next === 'number' ? [] : {};
      if (typeof p === 'number' && Array.isArray(cur)) cur[p] = child;
      else if (isObject(cur)) cur[p as string] = child;
    }
    cur = child;
    parents.push(cur);
  }
  const last = path[path.length - 1];
  if (last === undefined) return out;
  if (Array.isArray(cur) && typeof last === 'number') {
    if (value === undefined) cur.splice(last, 1);
    else cur[last] = value;
  } else if (isObject(cur)) {
    if (value === undefined) delete cur[String(last)];
    else cur[String(last)] = value;
  }
  // Drop objects emptied by a removal (e.g. "cluster": {} after clearing its only field).
  if (value === undefined)
    for (let i = parents.length - 1; i >= 1; i--) {
      const obj = parents[i];
      const parent = parents[i - 1];
      const key = path[i - 1];
      if (!isObject(obj) || Object.keys(obj).length > 0 || !isObject(parent) || typeof key !== 'string')
        break;
      delete parent[key];
    }
  return out;
}

/** A form input's text as a JSON value: '' removes the field, a plain number becomes a number, else the text. */
export function numberOrText(text: string): Json | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : text;
}
