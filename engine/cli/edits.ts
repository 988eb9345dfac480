/**
 * Edits of a scenario's RAW JSON from the command line (`run --set/--unset/--op/--fault/--action`), applied before
 * validation so that the engine's validator reports every resulting problem exactly as for a file. The CLI
 * decides nothing about what a value means: config values stay strings (Flink parses them), other values are
 * read as JSON scalars when they look like one.
 */
import { configKeySpec, isReservedName } from '../scenario/index.ts';
import type { ParsedOption } from './args.ts';
import { CliError } from './errors.ts';

export type ScenarioEdit =
  | { readonly kind: 'set'; readonly key: string; readonly value: string }
  | { readonly kind: 'unset'; readonly key: string }
  | {
      readonly kind: 'op';
      readonly operatorId: string;
      readonly path: readonly string[];
      readonly value: unknown;
    }
  | { readonly kind: 'fault'; readonly fault: Readonly<Record<string, unknown>> }
  | { readonly kind: 'action'; readonly action: Readonly<Record<string, unknown>> };

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function editError(message: string): CliError {
  return new CliError(message, 2, 'run');
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * A command-line value as JSON: numbers ("3", "-1.5", "1e3"), true/false and null become those values; text in
 * JSON syntax that starts with [ { or " ("[1,2]", "\"3\"" to force a string) is parsed; anything else stays a
 * string ("2 min", "tumbling 10s").
 */
export function coerceValue(text: string): unknown {
  if (NUMBER.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  const first = text.trimStart()[0];
  if (first === '[' || first === '{' || first === '"') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** `--set key=value` (split on the first "="; the value may itself contain "="). */
export function parseSetArgument(text: string): ScenarioEdit & { kind: 'set' } {
  const eq = text.indexOf('=');
  if (eq < 0) throw editError(`--set expects <flink-config-key>=<value>, got "${text}"`);
  const key = text.slice(0, eq).trim();
  if (key === '') throw editError(`--set expects <flink-config-key>=<value>, got "${text}" (no key)`);
  if (isReservedName(key)) throw editError(`--set: "${key}" is not a Flink configuration key`);
  return { kind: 'set', key, value: text.slice(eq + 1) };
}

export function parseUnsetArgument(text: string): ScenarioEdit & { kind: 'unset' } {
  const key = text.trim();
  if (key === '' || key.includes('=')) throw editError(`--unset expects a config key, got "${text}"`);
  return { kind: 'unset', key };
}

/** `--op <operatorId>.<field>[.<field>...]=<value>`, e.g. `counter.parallelism=3`, `filter.where.value=10`. */
export function parseOpArgument(text: string): ScenarioEdit & { kind: 'op' } {
  const eq = text.indexOf('=');
  const lhs = eq < 0 ? '' : text.slice(0, eq);
  const dot = lhs.indexOf('.');
  const path = dot < 0 ? [] : lhs.slice(dot + 1).split('.');
  if (eq < 0 || dot <= 0 || path.some((p) => p === '')) {
    throw editError(`--op expects <operatorId>.<field>=<value> (e.g. counter.parallelism=3), got "${text}"`);
  }
  if (path.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw editError(`--op: "${text}" names a field that cannot be set`);
  }
  if (path[0] === 'id')
    throw editError(`--op cannot change an operator's id ("${text}"); edit the scenario file`);
  return { kind: 'op', operatorId: lhs.slice(0, dot), path, value: coerceValue(text.slice(eq + 1)) };
}

/**
 * `--fault <at>:<kind>:<target>[,<field>=<value>...]`, split on the first two colons, e.g. `20s:kill-taskmanager:tm-0`
 * or `10s:slow-task:counter#0,factor=10,duration=5s`. `at` stays a string (a Flink duration).
 */
export function parseFaultArgument(text: string): ScenarioEdit & { kind: 'fault' } {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  const usage = `--fault expects <at>:<kind>:<target> (e.g. 20s:kill-taskmanager:tm-0), got "${text}"`;
  if (second < 0) throw editError(usage);
  const at = text.slice(0, first).trim();
  const kind = text.slice(first + 1, second).trim();
  const [target = '', ...extras] = text.slice(second + 1).split(',');
  if (at === '' || kind === '' || target.trim() === '') throw editError(usage);
  const fault: JsonObject = { at, kind, target: target.trim() };
  for (const extra of extras) {
    const eq = extra.indexOf('=');
    const name = eq < 0 ? '' : extra.slice(0, eq).trim();
    if (name === '' || name === 'at' || name === 'kind' || name === 'target') {
      throw editError(
        `--fault: expected <field>=<value> after the target (e.g. duration=5s), got "${extra}"`,
      );
    }
    if (isReservedName(name))
      throw editError(`--fault: "${name}" is not a fault field (fields: duration, factor, count)`);
    fault[name] = coerceValue(extra.slice(eq + 1).trim());
  }
  return { kind: 'fault', fault };
}

/**
 * `--action <at>:<kind>[,drain=true]`, split on the first colon, e.g. `12s:checkpoint`, `12s:savepoint`,
 * `30s:stop-with-savepoint,drain=true`. `at` stays a string (a Flink duration); the kind and `drain` are checked by
 * the scenario validator, which names the entry (`actions[i]`).
 */
export function parseActionArgument(text: string): ScenarioEdit & { kind: 'action' } {
  const usage =
    `--action expects <at>:<kind>[,drain=true] with kind checkpoint, savepoint or stop-with-savepoint ` +
    `(e.g. 12s:savepoint or 30s:stop-with-savepoint,drain=true), got "${text}"`;
  const colon = text.indexOf(':');
  if (colon < 0) throw editError(usage);
  const at = text.slice(0, colon).trim();
  const [kind = '', ...extras] = text.slice(colon + 1).split(',');
  if (at === '' || kind.trim() === '') throw editError(usage);
  const action: JsonObject = { at, kind: kind.trim() };
  for (const extra of extras) {
    const eq = extra.indexOf('=');
    const name = eq < 0 ? extra.trim() : extra.slice(0, eq).trim();
    if (name !== 'drain' || eq < 0)
      throw editError(`--action: expected drain=true or drain=false after the kind, got "${extra}"`);
    action['drain'] = coerceValue(extra.slice(eq + 1).trim());
  }
  return { kind: 'action', action };
}

/** Every spelling of a config key: itself, and if Flink knows it, its current name and deprecated aliases. */
export function configKeySpellings(key: string): string[] {
  const spec = configKeySpec(key);
  const names = spec === undefined ? [key] : [key, spec.key, ...spec.aliases];
  return [...new Set(names)];
}

function configOf(doc: JsonObject, create: boolean): JsonObject | null {
  const config = doc['config'];
  if (config === undefined) {
    if (!create) return null;
    const fresh: JsonObject = {};
    doc['config'] = fresh;
    return fresh;
  }
  if (!isObject(config))
    throw editError('the scenario\'s "config" is not an object, so --set/--unset cannot edit it');
  return config;
}

/**
 * `config[key] = value` (a string, as Flink reads it). Other spellings of the same key (its current name or a
 * deprecated alias) are removed first, so the new value is the only one.
 */
export function setConfig(doc: JsonObject, key: string, value: string): void {
  const config = configOf(doc, true) as JsonObject;
  for (const name of configKeySpellings(key)) delete config[name];
  config[key] = value;
}

/**
 * Deletes `config[key]` under every spelling (current name and deprecated aliases), so Flink's default applies.
 * A key that is neither set nor known to the simulator is an error (most likely a typo).
 */
export function unsetConfig(doc: JsonObject, key: string): void {
  const config = configOf(doc, false);
  const present = config === null ? [] : configKeySpellings(key).filter((k) => Object.hasOwn(config, k));
  if (present.length === 0 && configKeySpec(key) === undefined) {
    const set = config === null ? [] : Object.keys(config);
    const hint =
      set.length === 0 ? 'the scenario sets no config keys' : `the scenario sets ${set.join(', ')}`;
    throw editError(`--unset ${key}: not a Flink config key the simulator knows, and not set (${hint})`);
  }
  if (config !== null) for (const name of present) delete config[name];
}

/** Sets `job.operators[id=operatorId].<path>` to `value`, creating intermediate objects. */
export function setOperatorField(
  doc: JsonObject,
  operatorId: string,
  path: readonly string[],
  value: unknown,
): void {
  const job = doc['job'];
  const operators = isObject(job) ? job['operators'] : undefined;
  if (!Array.isArray(operators))
    throw editError('the scenario has no "job.operators" list, so --op cannot edit it');
  const op: unknown = operators.find((o) => isObject(o) && o['id'] === operatorId);
  if (!isObject(op)) {
    const ids = operators.flatMap((o) => (isObject(o) && typeof o['id'] === 'string' ? [o['id']] : []));
    throw editError(`--op: no operator "${operatorId}"; operators: ${ids.join(', ') || '(none)'}`);
  }
  let target: JsonObject = op;
  for (let i = 0; i < path.length - 1; i++) {
    const name = path[i] as string;
    const next = target[name];
    if (next === undefined) {
      const fresh: JsonObject = {};
      target[name] = fresh;
      target = fresh;
    } else if (isObject(next)) {
      target = next;
    } else {
      const at = [operatorId, ...path.slice(0, i + 1)].join('.');
      throw editError(`--op: ${at} is not an object, so it has no field "${path[i + 1] ?? ''}"`);
    }
  }
  target[path[path.length - 1] as string] = value;
}

export function addFault(doc: JsonObject, fault: Readonly<Record<string, unknown>>): void {
  const faults = doc['faults'];
  if (faults === undefined) doc['faults'] = [{ ...fault }];
  else if (Array.isArray(faults)) faults.push({ ...fault });
  else throw editError('the scenario\'s "faults" is not a list, so --fault cannot add to it');
}

/** Appends to the document's `actions` (the same path as `--fault` takes for `faults`). */
export function addAction(doc: JsonObject, action: Readonly<Record<string, unknown>>): void {
  const actions = doc['actions'];
  if (actions === undefined) doc['actions'] = [{ ...action }];
  else if (Array.isArray(actions)) actions.push({ ...action });
  else throw editError('the scenario\'s "actions" is not a list, so --action cannot add to it');
}

/** Applies the edits in order to a deep copy of `raw` and returns the copy; `raw` is not modified. */
export function applyEdits(raw: unknown, edits: readonly ScenarioEdit[]): unknown {
  if (edits.length === 0) return raw;
  if (!isObject(raw)) throw editError('the scenario is not a JSON object, so it cannot be edited');
  const doc = structuredClone(raw);
  for (const edit of edits) {
    switch (edit.kind) {
      case 'set':
        setConfig(doc, edit.key, edit.value);
        break;
      case 'unset':
        unsetConfig(doc, edit.key);
        break;
      case 'op':
        setOperatorField(doc, edit.operatorId, edit.path, edit.value);
        break;
      case 'fault':
        addFault(doc, edit.fault);
        break;
      case 'action':
        addAction(doc, edit.action);
        break;
    }
  }
  return doc;
}

/**
 * The scenario edits among parsed options (--set, --unset, --op, --action and, where allowed, --fault), in order.
 * A command lists in its options what it accepts; `--action` is read wherever the command's parser let it through.
 */
export function editsFromOptions(options: readonly ParsedOption[], allowFaults: boolean): ScenarioEdit[] {
  const edits: ScenarioEdit[] = [];
  for (const o of options) {
    if (typeof o.value !== 'string') continue;
    if (o.name === 'set') edits.push(parseSetArgument(o.value));
    else if (o.name === 'unset') edits.push(parseUnsetArgument(o.value));
    else if (o.name === 'op') edits.push(parseOpArgument(o.value));
    else if (o.name === 'fault' && allowFaults) edits.push(parseFaultArgument(o.value));
    else if (o.name === 'action') edits.push(parseActionArgument(o.value));
  }
  return edits;
}
