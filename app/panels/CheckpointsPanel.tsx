/**
 * Checkpoints, modelled on Flink's Checkpoints tab (reference 6.3) and tied to the animation: overview, history
 * with per-operator and per-subtask details, summary with percentiles, configuration, and the phase timeline.
 * The data is the engine's REST JSON; clicking a checkpoint's time or a phase moves the playhead there.
 */
import { useLab } from '../store/index.ts';
import { useMomentQuery } from '../store/useMoment.ts';
import type { CheckpointTab } from '../store/viewSlice.ts';
import { TabPanel, Tabs } from '../controls/Tabs.tsx';
import { Config } from './checkpoints/Config.tsx';
import { History } from './checkpoints/History.tsx';
import { ImportedBanner, ImportedView } from './checkpoints/ImportedView.tsx';
import { useImported } from './checkpoints/imported.ts';
import { Overview } from './checkpoints/Overview.tsx';
import type { CheckpointConfigInfo, CheckpointingStatistics } from './checkpoints/rest.ts';
import { Summary } from './checkpoints/Summary.tsx';
import { Timeline } from './checkpoints/Timeline.tsx';
import { Retained } from './checkpoints/Retained.tsx';

const TABS: { id: CheckpointTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'history', label: 'History' },
  { id: 'summary', label: 'Summary' },
  { id: 'config', label: 'Configuration' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'stored', label: 'Stored' },
];

export function CheckpointsPanel() {
  const tab = useLab((s) => s.checkpointTab);
  const setTab = useLab((s) => s.setCheckpointTab);
  const live = useLab((s) => s.snapshot?.checkpoints ?? null);
  const stats = useMomentQuery<CheckpointingStatistics>({ key: 'checkpoint-stats', kind: 'checkpointStats' });
  const config = useMomentQuery<CheckpointConfigInfo>(
    tab === 'config' ? { key: 'checkpoint-config', kind: 'checkpointConfig' } : null,
  );
  // The moment the data belongs to (the shown frame), for the one-moment e2e check.
  const momentSeq = useLab((s) => s.moment.seq);
  const momentTime = useLab((s) => s.moment.time);
  const imported = useImported((s) => s.file);
  if (imported !== null) return <ImportedView file={imported} />;
  return (
    <div
      className="checkpoints-panel"
      data-testid="checkpoints-panel"
      data-moment-seq={stats === null ? undefined : momentSeq}
      data-moment-time={stats === null ? undefined : momentTime}
      data-completed={stats?.counts.completed}
    >
      <ImportedBanner />
      <Tabs idPrefix="cp" tabs={TABS} value={tab} onChange={setTab} label="Checkpoint views" small />
      <TabPanel idPrefix="cp" id={tab}>
        {tab === 'overview' && <Overview stats={stats} live={live} />}
        {tab === 'history' && <History stats={stats} />}
        {tab === 'summary' && <Summary stats={stats} />}
        {tab === 'config' && <Config config={config} />}
        {tab === 'timeline' && <Timeline stats={stats} />}
        {tab === 'stored' && <Retained />}
      </TabPanel>
    </div>
  );
}
