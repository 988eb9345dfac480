/** Accessible tabs (WAI-ARIA tabs pattern): arrow keys move between tabs, the panel is labelled by its tab. */
import type { KeyboardEvent, ReactNode } from 'react';

export interface TabSpec<T extends string> {
  id: T;
  label: ReactNode;
}

export function Tabs<T extends string>({
  idPrefix,
  tabs,
  value,
  onChange,
  label,
  small,
}: {
  idPrefix: string;
  tabs: TabSpec<T>[];
  value: T;
  onChange: (id: T) => void;
  label: string;
  small?: boolean;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.id === value);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const t = tabs[next];
    if (t === undefined) return;
    onChange(t.id);
    document.getElementById(`${idPrefix}-tab-${t.id}`)?.focus();
  };
  return (
    <div className={small ? 'tabs small' : 'tabs'} role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${t.id}`}
          aria-selected={t.id === value}
          aria-controls={`${idPrefix}-panel-${t.id}`}
          tabIndex={t.id === value ? 0 : -1}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ idPrefix, id, children }: { idPrefix: string; id: string; children: ReactNode }) {
  return (
    <div
      role="tabpanel"
      id={`${idPrefix}-panel-${id}`}
      aria-labelledby={`${idPrefix}-tab-${id}`}
      className="tab-panel"
    >
      {children}
    </div>
  );
}
