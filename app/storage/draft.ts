/**
 * Autosave of an unsaved edit (issue 11: "an unsaved edited scenario survives an accidental reload"). The draft is
 * written shortly after each change while the user has something unsaved on screen: a scenario edited with Apply
 * or a quick switch, or text in the scenario editor not applied yet. Scenarios opened from a preset, a link or
 * "My scenarios" are not edits ("clean") until changed. A reload brings the draft back when it was on screen;
 * after the user opened something else it is kept, inactive, in "My scenarios" until opened, saved or discarded.
 */
import { isObject } from '../editor/scenarioDocument.ts';
import { useEditor } from '../editor/editorStore.ts';
import { engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import { db, type Draft } from './db.ts';

const clean = new Set<string>();
const DEBOUNCE_MS = 300;

/** A document opened from a link or a saved scenario: not an edit (no draft is written for it). */
export function markClean(doc: unknown): void {
  clean.add(JSON.stringify(doc));
}

export async function readDraft(): Promise<Draft | null> {
  return (await (await db()).get('drafts', 'draft')) ?? null;
}

export async function discardDraft(): Promise<void> {
  await (await db()).delete('drafts', 'draft');
}

/** The draft as it should be now, or null when nothing unsaved is on screen. */
function currentDraft(): Omit<Draft, 'savedAt'> | null {
  const { source, topology } = useLab.getState();
  const editorText = useEditor.getState().text;
  const running = source?.kind === 'json' && isObject(source.json) ? source.json : null;
  const edited = running !== null && !clean.has(JSON.stringify(running));
  if (!edited && editorText === null) return null;
  return {
    id: 'draft',
    name: topology?.scenarioName ?? 'Untitled scenario',
    doc: running,
    preset: source?.kind === 'preset' ? source.id : null,
    edited,
    editorText,
    active: true,
  };
}

let timer: ReturnType<typeof setTimeout> | null = null;
let writing: Promise<void> = Promise.resolve();
let lastWritten = '';

async function write(): Promise<void> {
  timer = null;
  const next = currentDraft();
  const key = JSON.stringify(next);
  if (key === lastWritten) return;
  lastWritten = key;
  const d = await db();
  if (next !== null) {
    await d.put('drafts', { ...next, savedAt: Date.now() });
    return;
  }
  const old = await d.get('drafts', 'draft');
  if (old !== undefined && old.active) await d.put('drafts', { ...old, active: false });
}

function schedule(): void {
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => {
    writing = writing.then(write).catch(() => undefined);
  }, DEBOUNCE_MS);
}

/** Writes pending changes now (tests, and before the page is hidden). */
export function flushDraft(): Promise<void> {
  if (timer !== null) {
    clearTimeout(timer);
    writing = writing.then(write).catch(() => undefined);
  }
  return writing;
}

let started = false;

/** Starts watching for edits (after the first scenario is on screen, so opening it is not taken for an edit). */
export function startAutosave(): void {
  if (started) return;
  started = true;
  lastWritten = '';
  useLab.subscribe((s, prev) => {
    if (s.source !== prev.source || s.topology !== prev.topology) schedule();
  });
  useEditor.subscribe((s, prev) => {
    if (s.text !== prev.text) schedule();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void flushDraft();
  });
  schedule();
}

/** Puts a draft back on screen: its scenario, then its editor text in the editor. False when it cannot load. */
export async function openDraft(draft: Draft): Promise<{ ok: true } | { ok: false; message: string }> {
  if (draft.doc === null && typeof draft.preset === 'string') {
    const r = await engineClient.loadPreset(draft.preset);
    if (!r.ok) useLab.getState().setLoadErrors([]);
  }
  if (draft.doc !== null) {
    // Only the editor's text was unsaved: the document under it was not an edit.
    if (draft.edited === false) markClean(draft.doc);
    const r = await engineClient.load(draft.doc);
    if (!r.ok) {
      useLab.getState().setLoadErrors([]);
      const first = r.errors[0];
      return {
        ok: false,
        message: `it does not load here (${first === undefined ? 'unknown error' : `${first.path || '(scenario)'}: ${first.message}`})`,
      };
    }
  }
  if (draft.editorText !== null) useEditor.getState().reopen(draft.editorText);
  return { ok: true };
}

/** At start, without a link: the draft that was on screen before the reload. True when it was brought back. */
export async function restoreDraftAtStart(): Promise<boolean> {
  let draft: Draft | null;
  try {
    draft = await readDraft();
  } catch {
    return false;
  }
  if (draft === null || !draft.active) return false;
  const r = await openDraft(draft);
  if (!r.ok) {
    useLab
      .getState()
      .setNotice(
        `Your unsaved draft "${draft.name}" could not be brought back: ${r.message}. It is kept in My scenarios.`,
      );
    await (await db()).put('drafts', { ...draft, active: false });
    return false;
  }
  useLab
    .getState()
    .setNotice(
      `Your unsaved edit of "${draft.name}" was brought back after the reload. Save it in My scenarios to keep it.`,
    );
  return true;
}
