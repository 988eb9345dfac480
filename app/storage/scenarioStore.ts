/**
 * Saved scenarios: list, save, rename, delete, export as a JSON file, import a JSON file. An import is checked
 * completely (size, JSON syntax with line and column, the engine's schema) before anything is written, so a bad
 * file names its problem and changes nothing.
 */
import { validateScenario } from '../../engine/scenario/validate.ts';
import { db, type SavedScenario } from './db.ts';

/** Largest scenario file accepted on import (a scenario is a few kB; the link limit is 1 MB too). */
export const MAX_IMPORT_BYTES = 1_048_576;
export const MAX_NAME_CHARS = 100;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export function checkName(raw: string): Checked<string> {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name === '') return { ok: false, message: 'Give the scenario a name.' };
  if (name.length > MAX_NAME_CHARS)
    return {
      ok: false,
      message: `The name is ${name.length} characters long; keep it to ${MAX_NAME_CHARS}.`,
    };
  return { ok: true, value: name };
}

export async function listScenarios(): Promise<SavedScenario[]> {
  const all = await (await db()).getAll('scenarios');
  return all.sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name));
}

function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export async function saveScenario(name: string, doc: Record<string, unknown>): Promise<SavedScenario> {
  const n = checkName(name);
  if (!n.ok) throw new Error(n.message);
  const now = Date.now();
  const record: SavedScenario = { id: newId(), name: n.value, doc, createdAt: now, updatedAt: now };
  await (await db()).put('scenarios', record);
  return record;
}

export async function renameScenario(id: string, name: string): Promise<SavedScenario> {
  const n = checkName(name);
  if (!n.ok) throw new Error(n.message);
  const d = await db();
  const tx = d.transaction('scenarios', 'readwrite');
  const old = await tx.store.get(id);
  if (old === undefined) throw new Error('That scenario is no longer saved (deleted in another tab?).');
  const record = { ...old, name: n.value, updatedAt: Date.now() };
  await tx.store.put(record);
  await tx.done;
  return record;
}

export async function deleteScenario(id: string): Promise<void> {
  await (await db()).delete('scenarios', id);
}

/** A file name for an export: the name in lower case, words joined by "-", ".json". */
export function exportFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug === '' ? 'scenario' : slug}.json`;
}

/** The export's text: the scenario document itself, so `npm run sim -- run <file>` runs it. */
export function exportText(doc: Record<string, unknown>): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Ends a message with a full stop unless it ends with one (or "?" / "!") already. */
function endSentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** Line and column of a character offset (for a JSON syntax error). */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Checks an imported file completely; writes nothing. The message names the file and the problem. */
export function checkImport(
  fileName: string,
  text: string,
  bytes: number,
): Checked<{ name: string; doc: Record<string, unknown> }> {
  const where = fileName === '' ? 'The file' : `"${fileName}"`;
  if (bytes > MAX_IMPORT_BYTES)
    return {
      ok: false,
      message: `${where} is ${bytes.toLocaleString('en-US')} bytes, over the limit of ${MAX_IMPORT_BYTES.toLocaleString('en-US')} for a scenario. Nothing was imported.`,
    };
  if (text.trim() === '')
    return {
      ok: false,
      message: `${where} is empty: a scenario file holds one JSON object. Nothing was imported.`,
    };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const at =
      pos?.[1] === undefined || /line \d+/.test(msg) ? '' : ` at ${lineColumn(text, Number(pos[1]))}`;
    return {
      ok: false,
      message: `${where} is not valid JSON${at} (${msg}). Nothing was imported.`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      ok: false,
      message: `${where} is JSON but not a scenario: it must be one object like { "version": 1, "name": ..., "job": ... }. Nothing was imported.`,
    };
  const checked = validateScenario(value);
  if (!checked.ok) {
    const n = checked.errors.length;
    const shown = checked.errors
      .slice(0, 3)
      .map((e) => `${e.path === '' ? '(document)' : e.path}: ${e.message}`)
      .join('; ');
    return {
      ok: false,
      message: `${where} is not a valid scenario (${n} problem${n === 1 ? '' : 's'}): ${endSentence(`${shown}${n > 3 ? `; and ${n - 3} more` : ''}`)} Nothing was imported.`,
    };
  }
  const doc = value as Record<string, unknown>;
  const fromFile = fileName.replace(/\.json$/i, '');
  const name = checkName(checked.scenario.name === '' ? fromFile : checked.scenario.name);
  return { ok: true, value: { name: name.ok ? name.value : 'Imported scenario', doc } };
}

/** Imports a checked file as a new saved scenario. */
export async function importScenario(
  fileName: string,
  text: string,
  bytes: number,
): Promise<Checked<SavedScenario>> {
  const c = checkImport(fileName, text, bytes);
  if (!c.ok) return c;
  return { ok: true, value: await saveScenario(c.value.name, c.value.doc) };
}
