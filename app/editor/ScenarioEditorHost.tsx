/**
 * Mounts the scenario editor while it is open. The editor (CodeMirror, the engine's schema) loads on first use,
 * so the page starts without it.
 */
import { lazy, Suspense } from 'react';
import { useEditor } from './editorStore.ts';

const ScenarioEditor = lazy(() =>
  import('./ScenarioEditor.tsx').then((m) => ({ default: m.ScenarioEditor })),
);

export function ScenarioEditorHost() {
  const open = useEditor((s) => s.open);
  if (!open) return null;
  return (
    <Suspense
      fallback={
        <p className="visually-hidden" role="status">
          Opening the scenario editor…
        </p>
      }
    >
      <ScenarioEditor />
    </Suspense>
  );
}
