/**
 * The Checkpoints panels showing an imported file (real Flink statistics, read-only): a banner naming the file and
 * its Flink version shape with the way back to the simulation, and the overview, history and summary tabs fed from
 * the file. Configuration and the phase timeline are not part of GET /jobs/:jobid/checkpoints, so those tabs say so.
 */
import type { ImportedFile } from '../../../engine/flink/restImport.ts';
import { TabPanel, Tabs } from '../../controls/Tabs.tsx';
import { useLab } from '../../store/index.ts';
import type { CheckpointTab } from '../../store/viewSlice.ts';
import { History } from './History.tsx';
import { ImportedMode, panelStats, useImported } from './imported.ts';
import { Overview } from './Overview.tsx';
import { Summary } from './Summary.tsx';

const TABS: { id: CheckpointTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'history', label: 'History' },
  { id: 'summary', label: 'Summary' },
  { id: 'config', label: 'Configuration' },
  { id: 'timeline', label: 'Timeline' },
];

/** While a file is imported, a one-line reminder above the live panels is not needed: the view replaces them. */
export function ImportedBanner() {
  const error = useImported((s) => s.error);
  const fail = useImported((s) => s.fail);
  if (error === null) return null;
  return (
    <div className="notice error imported-error" role="alert" data-testid="import-error-banner">
      <span>
        <strong>Import refused:</strong> {error}
      </span>
      <button type="button" aria-label="Dismiss" onClick={() => fail(null)}>
        ×
      </button>
    </div>
  );
}

export function ImportedView({ file }: { file: ImportedFile }) {
  const tab = useLab((s) => s.checkpointTab);
  const setTab = useLab((s) => s.setCheckpointTab);
  const name = useImported((s) => s.fileName) ?? 'file';
  const clear = useImported((s) => s.clear);
  const stats = panelStats(file);
  const shape =
    file.shape === '1.14'
      ? 'Flink 1.14 format (“@class”; no percentiles, checkpointed size = full size)'
      : 'Flink 1.15+ format (“className”)';
  return (
    <div className="checkpoints-panel imported" data-testid="checkpoints-panel" data-imported="true">
      <div className="imported-banner" role="status" data-testid="imported-banner">
        <span className="imported-tag">Imported · read-only</span>
        <span>
          Real Flink statistics from <strong className="mono">{name}</strong>, {shape}. The simulation keeps
          running underneath.
        </span>
        <button type="button" className="primary" onClick={clear} data-testid="imported-back">
          Back to the simulation
        </button>
      </div>
      <ImportedMode.Provider value={true}>
        <Tabs idPrefix="cp" tabs={TABS} value={tab} onChange={setTab} label="Checkpoint views" small />
        <TabPanel idPrefix="cp" id={tab}>
          {tab === 'overview' && <Overview stats={stats} live={null} />}
          {tab === 'history' && <History stats={stats} />}
          {tab === 'summary' && <Summary stats={stats} />}
          {(tab === 'config' || tab === 'timeline') && (
            <p className="empty">
              {tab === 'config'
                ? 'The configuration is another endpoint (GET /jobs/:jobid/checkpoints/config): not in this file.'
                : 'Per-subtask phases come from GET /jobs/:jobid/checkpoints/details/:id/subtasks/:vertexid: not in this file.'}
            </p>
          )}
        </TabPanel>
      </ImportedMode.Provider>
    </div>
  );
}
