/** Finds the highlighted element on the page and prepares the view for it (the right tab, the right subtask). */
import type { Topology } from '../../engine/protocol.ts';
import { useLab } from '../store/index.ts';
import { highlightSelector } from './runner.ts';
import type { LessonHighlight } from './types.ts';

/** The first visible element matching the selector, or null. */
export function visibleElement(selector: string | null): Element | null {
  if (selector === null) return null;
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 || r.height > 0) return el;
  }
  return null;
}

/** A highlighted subtask in a collapsed vertex is shown by its vertex's aggregate box. */
export function resolveSelector(h: LessonHighlight, topology: Topology | null): string | null {
  const selector = highlightSelector(h, topology);
  if (h.kind !== 'subtask' || visibleElement(selector) !== null) return selector;
  const vertex = topology?.subtasks.find((s) => s.name === h.name)?.vertexId;
  return vertex === undefined ? selector : `[data-testid="subtask"][data-subtask="${vertex}"]`;
}

/** Switches the insight panel to the tab a panel highlight is about. */
export function prepareView(h: LessonHighlight | undefined, topology: Topology | null): void {
  if (h?.kind !== 'panel') return;
  const lab = useLab.getState();
  if (h.panel === 'checkpoints') lab.setMainTab('checkpoints');
  if (h.panel === 'state') {
    lab.setMainTab('state');
    const i = topology?.subtasks.find((s) => s.name === h.subtask)?.index;
    if (i !== undefined) lab.selectSubtask(i);
  }
}
