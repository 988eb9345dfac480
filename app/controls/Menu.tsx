/**
 * The context menu of a graph element (subtask, TaskManager, channel, checkpoint storage) or of "Stop with
 * savepoint": items from the action registry, keyboard-operable (arrows, Home/End, Enter, Escape).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { menuItems, runAction } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';

export function ContextMenu() {
  const menu = useLab((s) => s.menu);
  // Re-render when what the items depend on changes (enabled state follows the run).
  useLab((s) => s.snapshot);
  useLab((s) => s.busy);
  const state = useLab.getState();
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  const content = menu && state.topology ? menuItems(menu.target, state) : null;

  useLayoutEffect(() => {
    if (!menu || !ref.current) {
      setPos(null);
      return;
    }
    const r = ref.current.getBoundingClientRect();
    const left = Math.max(4, Math.min(menu.x, window.innerWidth - r.width - 4));
    const top = menu.y + r.height > window.innerHeight - 4 ? Math.max(4, menu.y - r.height) : menu.y;
    setPos({ left, top });
  }, [menu]);

  const shown = pos !== null;
  useEffect(() => {
    if (!menu || !shown) return;
    const first = ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)');
    first?.focus();
  }, [menu, shown]);

  useEffect(() => {
    if (!menu) return;
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close(false);
    };
    window.addEventListener('pointerdown', onDown, true);
    return () => window.removeEventListener('pointerdown', onDown, true);
  }, [menu]);

  if (!menu || !content) return null;

  function close(restore = true) {
    const back = useLab.getState().menu?.returnFocus;
    useLab.getState().openMenu(null);
    if (restore && back) back.focus();
  }

  const onKeyDown = (e: React.KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown') buttons[(i + 1) % buttons.length]?.focus();
    else if (e.key === 'ArrowUp') buttons[(i - 1 + buttons.length) % buttons.length]?.focus();
    else if (e.key === 'Home') buttons[0]?.focus();
    else if (e.key === 'End') buttons[buttons.length - 1]?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={content.title}
      data-testid="context-menu"
      style={{ left: pos?.left ?? menu.x, top: pos?.top ?? menu.y, visibility: pos ? 'visible' : 'hidden' }}
      onKeyDown={onKeyDown}
    >
      <div className="menu-title" aria-hidden="true">
        {content.title}
      </div>
      {content.items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          className={item.danger ? 'danger' : undefined}
          disabled={!item.enabled}
          onClick={() => {
            close();
            runAction(item);
          }}
        >
          <span>{item.label}</span>
          {item.keys && <kbd>{item.keys.join(' ')}</kbd>}
        </button>
      ))}
    </div>
  );
}
