/**
 * "Edit scenario" (issue 10 §7): a form view and a JSON view (CodeMirror) of the same scenario document, side by
 * side on a wide screen, as tabs on a phone. The engine's schema validates every edit in place (validateScenario
 * is pure, so it runs here); errors show at the field and as diagnostics in the JSON. Nothing reaches the running
 * scenario until "Apply", which loads the document through the normal load path; if the engine refuses it, the
 * running scenario keeps running and the engine's errors show here.
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { ScenarioIssue } from '../../engine/protocol.ts';
import { validateScenario } from '../../engine/scenario/validate.ts';
import { useLab } from '../store/index.ts';
import { applyDocument, currentDocument } from './applyScenario.ts';
import { useEditor } from './editorStore.ts';
import { FormView } from './FormView.tsx';
import { JsonView } from './JsonView.tsx';
import { isObject, type JsonObject } from './scenarioDocument.ts';
import './editor.css';

type Parsed = { ok: true; doc: JsonObject } | { ok: false; message: string };

function parse(text: string): Parsed {
  try {
    const v = JSON.parse(text) as unknown;
    if (!isObject(v)) return { ok: false, message: 'The document must be a JSON object { ... }.' };
    return { ok: true, doc: v };
  } catch (e) {
    return { ok: false, message: `The JSON does not parse: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const NO_ISSUES: ScenarioIssue[] = [];
const format = (doc: JsonObject) => JSON.stringify(doc, null, 2);

export function ScenarioEditor() {
  const setOpen = useEditor((s) => s.setOpen);
  const busy = useLab((s) => s.busy);
  const initial = useMemo(() => format(currentDocument() ?? {}), []);
  const [text, setText] = useState(() => useEditor.getState().restore ?? initial);
  // Unapplied text is autosaved as a draft (app/storage/draft.ts), so a reload does not lose it.
  useEffect(() => useEditor.getState().setText(text === initial ? null : text), [text, initial]);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  /** The engine's refusal of the last applied text (cleared by any edit). */
  const [refused, setRefused] = useState<{ text: string; errors: ScenarioIssue[] } | null>(null);
  const [applying, setApplying] = useState(false);
  const [reveal, setReveal] = useState(0);
  const [jsonTarget, setJsonTarget] = useState<{ path: string } | null>(null);
  const ref = useRef<HTMLDialogElement>(null);

  const parsed = useMemo(() => parse(text), [text]);
  // The schema check runs on a deferred copy, so typing stays fluid on a phone.
  const deferred = useDeferredValue(text);
  const schemaErrors = useMemo<ScenarioIssue[]>(() => {
    const p = parse(deferred);
    if (!p.ok) return [];
    const r = validateScenario(p.doc);
    return r.ok ? [] : r.errors;
  }, [deferred]);
  const stale = deferred !== text;
  const issues = refused !== null && refused.text === text ? refused.errors : schemaErrors;
  const problems = parsed.ok ? issues.length : 1;
  const dirty = text !== initial;

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const close = () => setOpen(false);
  /** Shows the field of an error in the form (the nearest field of its path) and focuses it. */
  const showField = (path: string) => {
    setJsonTarget({ path });
    setTab('form');
    requestAnimationFrame(() => {
      const root = ref.current;
      if (root === null) return;
      let p = path;
      for (;;) {
        const el = root.querySelector<HTMLElement>(`.pane-form [data-path="${CSS.escape(p)}"]`);
        if (el !== null) {
          el.scrollIntoView({ block: 'center' });
          el.querySelector<HTMLElement>('input, select')?.focus({ preventScroll: true });
          return;
        }
        const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        if (cut <= 0) return;
        p = p.slice(0, cut);
      }
    });
  };
  const apply = async () => {
    if (!parsed.ok) return;
    setApplying(true);
    try {
      const result = await applyDocument(parsed.doc);
      if (result.ok) close();
      else {
        setRefused({ text, errors: result.errors });
        setReveal((n) => n + 1);
        // Shown here, at the fields; the page's banner would repeat it behind the dialog.
        useLab.getState().setLoadErrors([]);
      }
    } finally {
      setApplying(false);
    }
  };

  const status = !parsed.ok
    ? parsed.message
    : problems > 0
      ? `${problems} problem${problems === 1 ? '' : 's'}: fix ${problems === 1 ? 'it' : 'them'} to apply. The running scenario is unchanged.`
      : stale
        ? 'Checking…'
        : dirty
          ? 'Valid. Apply reloads the scenario from the start with these changes.'
          : 'No changes yet.';

  return (
    <dialog
      ref={ref}
      className="dialog editor-dialog"
      aria-labelledby="editor-title"
      data-testid="scenario-editor"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onKeyDown={(e) => {
        // Keys typed here are not the page's shortcuts (Escape still reaches the dialog's cancel).
        if (e.key !== 'Escape') e.stopPropagation();
      }}
    >
      <div className="dialog-head">
        <h2 id="editor-title">Edit scenario</h2>
        <div className="segmented editor-tabs" role="tablist" aria-label="Editor view">
          {(['form', 'json'] as const).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
              {t === 'form' ? 'Form' : 'JSON'}
            </button>
          ))}
        </div>
        <button type="button" className="icon-button" aria-label="Close" onClick={close}>
          ×
        </button>
      </div>
      <div className="editor-body" data-tab={tab}>
        <div className="editor-pane pane-form">
          {parsed.ok ? (
            <FormView doc={parsed.doc} issues={issues} onChange={(d) => setText(format(d))} />
          ) : (
            <p className="field-error" role="alert">
              {parsed.message} Fix it in the JSON view; the form comes back when the JSON parses.
            </p>
          )}
        </div>
        <div className="editor-pane pane-json">
          <JsonView
            text={text}
            onChange={setText}
            issues={refused !== null && refused.text === text ? refused.errors : NO_ISSUES}
            reveal={reveal}
            target={jsonTarget}
          />
        </div>
      </div>
      <div className="editor-foot">
        {parsed.ok && issues.length > 0 ? (
          <details className="editor-problems">
            <summary>
              <span role="status" data-testid="editor-status" data-problems={problems}>
                {status}
              </span>{' '}
              <span className="muted">Where?</span>
            </summary>
            <ul>
              {issues.map((e, i) => (
                <li key={i}>
                  <button type="button" className="link-button" onClick={() => showField(e.path)}>
                    <code>{e.path || '(document)'}</code>
                  </button>
                  : {e.message}
                </li>
              ))}
            </ul>
          </details>
        ) : (
          <p
            className={`editor-status${problems > 0 ? ' has-problems' : ''}`}
            role="status"
            data-testid="editor-status"
            data-problems={problems}
          >
            {status}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => setText(initial)} disabled={!dirty}>
            Reset
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!dirty || !parsed.ok || problems > 0 || stale || busy || applying}
            onClick={() => void apply()}
          >
            Apply
          </button>
        </div>
      </div>
    </dialog>
  );
}
