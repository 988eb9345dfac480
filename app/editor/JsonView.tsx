/**
 * The JSON view of the scenario editor: CodeMirror 6 with JSON support. Diagnostics come from the engine's own
 * schema (validateScenario, pure, run here in the main thread) placed on the text of the field they name, plus
 * JSON syntax errors and the errors the engine reported when the document was last applied.
 */
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { diagnosticCount, forEachDiagnostic, linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState, StateEffect } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { ScenarioIssue } from '../../engine/protocol.ts';
import { validateScenario } from '../../engine/scenario/validate.ts';
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

/** Asks the linter to run again although the text did not change (the engine refused it on apply). */
const refresh = StateEffect.define<null>();

/** The engine's schema errors of a JSON text that parses. */
function schemaIssues(text: string): ScenarioIssue[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const r = validateScenario(doc);
  return r.ok ? [] : r.errors;
}

/** Diagnostics for issues of a text, each on the text of the value its path names. */
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
  reveal = 0,
  target = null,
}: {
  text: string;
  onChange: (text: string) => void;
  /** Bumped to scroll the first diagnostic into view (e.g. after the engine refused the document). */
  reveal?: number;
  /** A path to scroll to and select (a new object each time it is asked for). */
  target?: { path: string } | null;
  /**
   * Errors the engine reported when this text was applied (beyond its schema, which is checked here with the
   * syntax), or [] .
   */
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
              const t = ev.state.doc.toString();
              return diagnosticsOf(t, [...schemaIssues(t), ...issuesRef.current]);
            },
            {
              delay: 250,
              needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(refresh))),
            },
          ),
          theme,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'Scenario JSON' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
            // The diagnostic count, for tests and assistive summaries (CodeMirror renders only visible lines).
            if (host.current !== null) host.current.dataset.diagnostics = String(diagnosticCount(u.state));
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

  // The engine answered an apply: lint again with its errors.
  useEffect(() => {
    issuesRef.current = issues;
    view.current?.dispatch({ effects: refresh.of(null) });
  }, [issues]);

  // Scroll to the first diagnostic once the linter has placed it.
  useEffect(() => {
    if (reveal === 0) return;
    let tries = 0;
    const timer = setInterval(() => {
      const v = view.current;
      tries++;
      if (v === null || tries > 40) return clearInterval(timer);
      let first: number | null = null;
      forEachDiagnostic(v.state, (_d, from) => {
        if (first === null) first = from;
      });
      if (first !== null) {
        clearInterval(timer);
        v.dispatch({ effects: EditorView.scrollIntoView(first, { y: 'center' }) });
      }
    }, 50);
    return () => clearInterval(timer);
  }, [reveal]);

  useEffect(() => {
    const v = view.current;
    if (v === null || target === null) return;
    const t = v.state.doc.toString();
    const span = spanOf(jsonSpans(t), target.path, parsePath(target.path));
    if (span === null) return;
    v.dispatch({
      selection: { anchor: span.from, head: span.to },
      effects: EditorView.scrollIntoView(span.from, { y: 'center' }),
    });
  }, [target]);

  return <div className="json-view" ref={host} data-testid="editor-json" data-diagnostics="0" />;
}
