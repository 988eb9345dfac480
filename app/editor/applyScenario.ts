/**
 * Applying an edit: the changed document goes through the normal load path (engineClient.load). The engine
 * validates it; when it refuses, the running scenario stays loaded and its errors are shown.
 */
import type { LoadResult } from '../../engine/protocol.ts';
import { engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import { documentOf, type JsonObject } from './scenarioDocument.ts';

/** The document of the running scenario (a copy), or null before one is loaded. */
export function currentDocument(): JsonObject | null {
  return documentOf(useLab.getState().source);
}

export function applyDocument(doc: JsonObject): Promise<LoadResult> {
  return engineClient.load(doc);
}

/** Reloads the running scenario with one change made to its document (a quick switch). */
export async function applyEdit(edit: (doc: JsonObject) => JsonObject): Promise<LoadResult | null> {
  const doc = currentDocument();
  if (doc === null) return null;
  return applyDocument(edit(doc));
}
