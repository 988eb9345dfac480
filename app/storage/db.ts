/**
 * The user's own scenarios in IndexedDB (issue 11, "Your own scenarios"), through `idb`: saved scenarios and the
 * autosaved draft of an unsaved edit. One database, "checkpoint-lab-user" (the engine's IndexedDB state backend
 * keeps its own databases).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface SavedScenario {
  id: string;
  name: string;
  /** The scenario document (the JSON the editor edits and the CLI runs). */
  doc: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** An edit not saved yet: the scenario running (edited with Apply or a quick switch) and the editor's text. */
export interface Draft {
  id: 'draft';
  name: string;
  /** The scenario document that was running (a preset's: null, see `preset`). */
  doc: Record<string, unknown> | null;
  /** The preset that was running, when it was one (the editor's text is then the only edit). */
  preset?: string | null;
  /** The running document itself was an unsaved edit (false: only the editor's text is). */
  edited?: boolean;
  /** The editor's text when it differed from the running scenario (not applied yet), else null. */
  editorText: string | null;
  savedAt: number;
  /** It was on screen when last written: a reload brings it back. False once the user opened something else. */
  active: boolean;
}

interface UserDb extends DBSchema {
  scenarios: { key: string; value: SavedScenario; indexes: { updatedAt: number } };
  drafts: { key: string; value: Draft };
}

export const DB_NAME = 'checkpoint-lab-user';
let dbName = DB_NAME;
let opening: Promise<IDBPDatabase<UserDb>> | null = null;

/** Tests: a fresh database per test (fake-indexeddb keeps them across tests of one file). */
export function useDatabase(name: string): void {
  dbName = name;
  opening = null;
}

export function db(): Promise<IDBPDatabase<UserDb>> {
  opening ??= openDB<UserDb>(dbName, 1, {
    upgrade(d) {
      const s = d.createObjectStore('scenarios', { keyPath: 'id' });
      s.createIndex('updatedAt', 'updatedAt');
      d.createObjectStore('drafts', { keyPath: 'id' });
    },
  }).catch((e: unknown) => {
    opening = null;
    throw new StorageError(
      `This browser does not let the page save here (IndexedDB: ${e instanceof Error ? e.message : String(e)}). Export your scenario as a JSON file to keep it.`,
    );
  });
  return opening;
}

/** A storage failure the user should read (quota, private mode, blocked database). */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}
