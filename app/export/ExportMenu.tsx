/**
 * The "Present & export" menu in the top bar: Embed…, Export the run…, Export to Flink…, Import Flink statistics….
 * Each entry is an action of the registry (app/actions/registry.ts), so it is also in the `?` overlay.
 */
import { useEffect, useRef, useState } from 'react';
import { action, runAction } from '../actions/registry.ts';

const ITEMS = ['embed', 'export-run', 'export-flink', 'import-flink'] as const;

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey, true);
    root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);
  const onMenuKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = Array.from(root.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
    next?.focus();
  };
  return (
    <div className="export-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="export-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="export-menu"
        aria-label="Present and export"
        title="Present and export: embed, export the run, export to Flink, import Flink statistics"
        onClick={() => setOpen(!open)}
      >
        <svg className="export-menu-icon" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M8 1l3.5 3.5-1.1 1.1L8.8 4v6.5H7.2V4L5.6 5.6 4.5 4.5zM2 9h1.6v4.4h8.8V9H14v6H2z" />
        </svg>
        <span className="export-menu-text">Present &amp; export</span> <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="export-menu-list" role="menu" aria-label="Present and export" onKeyDown={onMenuKey}>
          {ITEMS.map((id) => {
            const a = action(id);
            return (
              <button
                key={id}
                type="button"
                role="menuitem"
                data-action={id}
                onClick={() => {
                  setOpen(false);
                  runAction(a);
                }}
              >
                {a.label}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
