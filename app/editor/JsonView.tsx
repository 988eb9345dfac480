/**
 * The JSON view of the scenario editor: CodeMirror 6 with JSON support. Diagnostics come from the engine's own
 * schema (validateScenario, pure, run here in the main thread) placed on the text of the field they name, plus
 * JSON syntax errors and the errors the engine reported when the document was last applied.
 */
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { forceLinting, linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { ScenarioIssue } from '../../engine/protocol.ts';
import { jsonSpans, spanOf } from './jsonSpans.ts';
import { parsePath } from './scenarioDocument.ts';

/** Colours from the page's CSS variables, so light and dark both read well. */
const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--cm-key)' },
  { tag: tags.string, color: 'var(--cm-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--cm-number)' },
  { tag: [tags.brace, tags.squareBracket, tags.separator, tags.punctuation], color: 'var(--muted)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '12.5px', backgroundColor: 'var(--surface-2)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.45' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent) !important',
  },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
  },
  '.cm-panels': { backgroundColor: 'var(--surface)', color: 'var(--text)' },
});

/** Diagnostics for a text: syntax first; when it parses, `validate` (the engine's schema) and extra issues. */
export function diagnosticsOf(text: string, issues: readonly ScenarioIssue[]): Diagnostic[] {
  const spans = jsonSpans(text);
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const segments = parsePath(issue.path);
    const span = spanOf(spans, issue.path, segments) ?? { from: 0, to: Math.min(1, text.length) };
    out.push({
      from: span.from,
      to: Math.max(span.to, span.from),
      severity: 'error',
      message: issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
      source: 'scenario schema',
    });
  }
  return out;
}

export function JsonView({
  text,
  onChange,
  issues,
}: {
  text: string;
  onChange: (text: string) => void;
  /** The engine's errors for `text` (schema errors, or the engine's refusal on apply); syntax errors are found here. */
  issues: readonly ScenarioIssue[];
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const issuesRef = useRef(issues);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (host.current === null) return;
    const syntax = jsonParseLinter();
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text,
        extensions: [
          basicSetup,
          json(),
          syntaxHighlighting(highlight),
          lintGutter(),
          linter(
            (ev) => {
              const bad = syntax(ev);
              if (bad.length > 0) return bad;
              return diagnosticsOf(ev.state.doc.toString(), issuesRef.current);
            },
            { delay: 250 },
          ),
          theme,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'Scenario JSON' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // Created once; later texts arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A change made in the form view: replace the text (the editor keeps its own edits).
  useEffect(() => {
    const v = view.current;
    if (v === null) return;
    const current = v.state.doc.toString();
    if (current !== text) v.dispatch({ changes: { from: 0, to: current.length, insert: text } });
  }, [text]);

  // New issues for the text (validation is deferred, the engine answers on apply): lint again.
  useEffect(() => {
    issuesRef.current = issues;
    if (view.current !== null) forceLinting(view.current);
  }, [issues]);

  return <div className="json-view" ref={host} data-testid="editor-json" />;
}
