/**
 * Checkpoints, modelled on Flink's Checkpoints tab (reference 6.3) and tied to the animation: overview, history
 * with per-operator and per-subtask details, summary with percentiles, configuration, and the phase timeline.
 * The data is the engine's REST JSON; clicking a checkpoint's time or a phase moves the playhead there.
 */
import { engineClient } from '../engineClient.ts';
import { useEngineQuery } from '../hooks/useEngineQuery.ts';
import { useLab } from '../store/index.ts';
import type { CheckpointTab } from '../store/viewSlice.ts';
import { TabPanel, Tabs } from '../controls/Tabs.tsx';
import { Config } from './checkpoints/Config.tsx';
import { History } from './checkpoints/History.tsx';
import { Overview } from './checkpoints/Overview.tsx';
import type { CheckpointConfigInfo, CheckpointingStatistics } from './checkpoints/rest.ts';
import { Summary } from './checkpoints/Summary.tsx';
import { Timeline } from './checkpoints/Timeline.tsx';

const TABS: { id: CheckpointTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'history', label: 'History' },
  { id: 'summary', label: 'Summary' },
  { id: 'config', label: 'Configuration' },
  { id: 'timeline', label: 'Timeline' },
];

export function CheckpointsPanel() {
  const tab = useLab((s) => s.checkpointTab);
  const setTab = useLab((s) => s.setCheckpointTab);
  const live = useLab((s) => s.snapshot?.checkpoints ?? null);
  const version = useLab((s) => s.runVersion);
  const stats = useEngineQuery(
    () => engineClient.checkpointStats() as Promise<CheckpointingStatistics>,
    `stats:${version}`,
  );
  const config = useEngineQuery(
    () => engineClient.checkpointConfig() as Promise<CheckpointConfigInfo>,
    `config:${version}`,
    { enabled: tab === 'config', minIntervalMs: 5000 },
  );
  return (
    <div className="checkpoints-panel" data-testid="checkpoints-panel">
      <Tabs idPrefix="cp" tabs={TABS} value={tab} onChange={setTab} label="Checkpoint views" small />
      <TabPanel idPrefix="cp" id={tab}>
        {tab === 'overview' && <Overview stats={stats} live={live} />}
        {tab === 'history' && <History stats={stats} />}
        {tab === 'summary' && <Summary stats={stats} />}
        {tab === 'config' && <Config config={config} />}
        {tab === 'timeline' && <Timeline stats={stats} />}
      </TabPanel>
    </div>
  );
}
