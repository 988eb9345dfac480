/** The keyboard side of the action registry: one keydown handler for every shortcut in ACTIONS. */
import { useEffect } from 'react';
import { useLab } from '../store/index.ts';
import { ACTIONS, runAction } from './registry.ts';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Elements that use arrow keys or Space themselves (tabs, menus, buttons). */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (key === ' ' || key === 'Enter')
    return (
      target instanceof HTMLButtonElement ||
      target.getAttribute('role') === 'button' ||
      target.tagName === 'A'
    );
  if (key.startsWith('Arrow') || key === 'Home' || key === 'End')
    return target.closest('[role="tablist"], [role="menu"], [role="slider"]') !== null;
  return false;
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useLab.getState();
      if (e.key === 'Escape') {
        if (s.menu !== null) s.openMenu(null);
        else if (s.dialog !== null) s.setDialog(null);
        return;
      }
      if (s.dialog !== null || s.menu !== null) return;
      if (isEditable(e.target) || ownsKey(e.target, e.key)) return;
      const a = ACTIONS.find((x) => x.match.includes(e.key));
      if (a === undefined) return;
      e.preventDefault();
      if (a.enabled(s)) runAction(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
