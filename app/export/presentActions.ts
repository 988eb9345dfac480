/**
 * The registry entries of "Present and export" (spread into ACTIONS in app/actions/registry.ts): previous / next
 * moment of the story (a clicker's PageUp / PageDown) and the four dialogs of the "Present & export" menu.
 */
import type { LabAction } from '../actions/registry.ts';
import { nextMoment, previousMoment } from '../embed/presenter.ts';
import type { LabState } from '../store/index.ts';
import { openExportDialog } from './exportStore.ts';

export function presentActions(
  ready: (s: LabState) => boolean,
  running: (s: LabState) => boolean,
): LabAction[] {
  return [
    {
      id: 'previous-moment',
      group: 'Time travel',
      label: 'Previous moment of the story (a clicker’s back button)',
      keys: ['PageUp'],
      match: ['PageUp'],
      enabled: (s) => ready(s) && (s.snapshot?.time ?? 0) > s.minTime,
      run: () => previousMoment(),
    },
    {
      id: 'next-moment',
      group: 'Time travel',
      label: 'Next moment of the story: fault, restart, checkpoint result (a clicker’s next button)',
      keys: ['PageDown'],
      match: ['PageDown'],
      enabled: running,
      run: () => nextMoment(),
    },
    {
      id: 'embed',
      group: 'View',
      label: 'Embed… (iframe snippet for a page or a slide)',
      keys: [],
      match: [],
      enabled: (s) => s.topology !== null,
      run: () => openExportDialog('embed'),
    },
    {
      id: 'export-run',
      group: 'View',
      label: 'Export the run… (Flink REST JSON, charts as SVG / PNG)',
      keys: [],
      match: [],
      enabled: ready,
      run: () => openExportDialog('export-run'),
    },
    {
      id: 'export-flink',
      group: 'View',
      label: 'Export to Flink… (Flink SQL and config.yaml)',
      keys: [],
      match: [],
      enabled: (s) => s.topology !== null,
      run: () => openExportDialog('export-flink'),
    },
    {
      id: 'import-flink',
      group: 'View',
      label: 'Import Flink statistics… (GET /jobs/:jobid/checkpoints)',
      keys: [],
      match: [],
      enabled: () => true,
      run: () => openExportDialog('import'),
    },
  ];
}
