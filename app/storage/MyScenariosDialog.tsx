/**
 * "My scenarios": the user's saved scenarios (IndexedDB) — save the one on screen, open, rename, delete, export
 * as a JSON file, import a JSON file — and the unsaved draft when there is one. Every failure is shown here in
 * words; a bad import changes nothing.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Dialog } from '../controls/Dialog.tsx';
import { documentOf } from '../editor/scenarioDocument.ts';
import { engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import type { Draft, SavedScenario } from './db.ts';
import { discardDraft, markClean, openDraft, readDraft } from './draft.ts';
import {
  checkName,
  deleteScenario,
  exportFileName,
  exportText,
  importScenario,
  listScenarios,
  renameScenario,
  saveScenario,
} from './scenarioStore.ts';
import './storage.css';

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return new Date(ms).toLocaleDateString();
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

type Message = { kind: 'ok' | 'error'; text: string } | null;

function Row({
  s,
  onChanged,
  say,
}: {
  s: SavedScenario;
  onChanged: () => Promise<void>;
  say: (m: Message) => void;
}) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const busy = useLab((st) => st.busy);
  const open = async () => {
    markClean(s.doc);
    const r = await engineClient.load(s.doc);
    if (r.ok) useLab.getState().setDialog(null);
    else {
      useLab.getState().setLoadErrors([]);
      const first = r.errors[0];
      say({
        kind: 'error',
        text: `"${s.name}" does not load: ${first === undefined ? '' : `${first.path || '(scenario)'}: ${first.message}`}. The run on screen is unchanged.`,
      });
    }
  };
  return (
    <li className="saved-row" data-testid="saved-scenario" data-name={s.name}>
      {renaming !== null ? (
        <form
          className="saved-rename"
          onSubmit={(e) => {
            e.preventDefault();
            const n = checkName(renaming);
            if (!n.ok) return say({ kind: 'error', text: n.message });
            void renameScenario(s.id, n.value)
              .then(async () => {
                setRenaming(null);
                say({ kind: 'ok', text: `Renamed to "${n.value}".` });
                await onChanged();
              })
              .catch((err: unknown) => say({ kind: 'error', text: errText(err) }));
          }}
        >
          <input
            aria-label={`New name for ${s.name}`}
            value={renaming}
            maxLength={200}
            autoFocus
            onChange={(e) => setRenaming(e.target.value)}
          />
          <button type="submit" className="primary">
            Save name
          </button>
          <button type="button" onClick={() => setRenaming(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="saved-main">
          <span className="saved-name">{s.name}</span>
          <span className="muted small">saved {ago(s.updatedAt)}</span>
        </div>
      )}
      {confirming ? (
        <div className="saved-actions" role="group" aria-label={`Delete ${s.name}?`}>
          <span className="warn-text small">Delete “{s.name}” for good?</span>
          <button
            type="button"
            className="danger"
            onClick={() =>
              void deleteScenario(s.id)
                .then(async () => {
                  say({ kind: 'ok', text: `Deleted "${s.name}".` });
                  await onChanged();
                })
                .catch((err: unknown) => say({ kind: 'error', text: errText(err) }))
            }
          >
            Delete
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : (
        renaming === null && (
          <div className="saved-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void open()}>
              Open
            </button>
            <button type="button" onClick={() => setRenaming(s.name)}>
              Rename
            </button>
            <button type="button" onClick={() => download(exportFileName(s.name), exportText(s.doc))}>
              Export
            </button>
            <button type="button" onClick={() => setConfirming(true)}>
              Delete
            </button>
          </div>
        )
      )}
    </li>
  );
}

export function MyScenariosDialog() {
  const setDialog = useLab((s) => s.setDialog);
  const topology = useLab((s) => s.topology);
  const source = useLab((s) => s.source);
  const [list, setList] = useState<SavedScenario[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [name, setName] = useState(topology?.scenarioName ?? '');
  const [message, setMessage] = useState<Message>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    try {
      const [l, d] = await Promise.all([listScenarios(), readDraft()]);
      setList(l);
      setDraft(d);
    } catch (e) {
      setList([]);
      setMessage({ kind: 'error', text: errText(e) });
    }
  }, []);
  useEffect(() => {
    // Reads IndexedDB (an external system); the state is set when it answers.
    const t = setTimeout(() => void refresh(), 0);
    return () => clearTimeout(t);
  }, [refresh]);

  const close = () => setDialog(null);
  const doc = documentOf(source);

  const save = async () => {
    if (doc === null) return;
    const n = checkName(name);
    if (!n.ok) return setMessage({ kind: 'error', text: n.message });
    try {
      await saveScenario(n.value, doc);
      markClean(doc);
      const d = await readDraft();
      if (d !== null && d.editorText === null && JSON.stringify(d.doc) === JSON.stringify(doc))
        await discardDraft();
      setMessage({ kind: 'ok', text: `Saved "${n.value}".` });
      await refresh();
    } catch (e) {
      setMessage({ kind: 'error', text: `Not saved: ${errText(e)}` });
    }
  };

  const onFile = async (file: File) => {
    try {
      const text = await file.text();
      const r = await importScenario(file.name, text, file.size);
      if (!r.ok) return setMessage({ kind: 'error', text: r.message });
      setMessage({ kind: 'ok', text: `Imported "${r.value.name}". Open it from the list.` });
      await refresh();
    } catch (e) {
      setMessage({
        kind: 'error',
        text: `"${file.name}" could not be read: ${errText(e)}. Nothing was imported.`,
      });
    }
  };

  return (
    <Dialog title="My scenarios" onClose={close} testId="my-scenarios">
      <p className="muted small">
        Saved in this browser only. Export a scenario as a JSON file to share it or run it with the CLI.
      </p>
      <form
        className="save-current"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="save-label" htmlFor="save-name">
          Save the scenario on screen as
        </label>
        <div className="save-row">
          <input
            id="save-name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            placeholder="A name"
          />
          <button type="submit" className="primary" disabled={doc === null}>
            Save
          </button>
        </div>
      </form>
      {message !== null && (
        <p
          className={message.kind === 'error' ? 'storage-message error' : 'storage-message ok'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="storage-message"
        >
          {message.text}
        </p>
      )}
      {draft !== null && !draft.active && (
        <div className="draft-row" data-testid="draft-row">
          <div className="saved-main">
            <span className="saved-name">Unsaved draft: {draft.name}</span>
            <span className="muted small">edited {ago(draft.savedAt)}</span>
          </div>
          <div className="saved-actions">
            <button
              type="button"
              className="primary"
              onClick={() =>
                void openDraft(draft).then((r) =>
                  r.ok ? close() : setMessage({ kind: 'error', text: `The draft ${r.message}.` }),
                )
              }
            >
              Open
            </button>
            <button
              type="button"
              onClick={() =>
                void discardDraft().then(refresh, (e: unknown) =>
                  setMessage({ kind: 'error', text: errText(e) }),
                )
              }
            >
              Discard
            </button>
          </div>
        </div>
      )}
      <h3 className="saved-title">Saved scenarios</h3>
      {list === null ? (
        <p className="muted small">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted small" data-testid="no-saved">
          Nothing saved yet: save the scenario on screen above, or import a JSON file.
        </p>
      ) : (
        <ul className="saved-list">
          {list.map((s) => (
            <Row key={s.id} s={s} onChanged={refresh} say={setMessage} />
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          data-testid="import-file"
          tabIndex={-1}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f !== undefined) void onFile(f);
          }}
        />
        <button type="button" onClick={() => fileRef.current?.click()}>
          Import a JSON file…
        </button>
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
