/** The tabbed card under the graph: Checkpoints, State, Subtasks. */
import { TabPanel, Tabs } from '../controls/Tabs.tsx';
import { useLab } from '../store/index.ts';
import type { MainTab } from '../store/viewSlice.ts';
import { CheckpointsPanel } from './CheckpointsPanel.tsx';
import { StatePanel } from './StatePanel.tsx';
import { SubtasksPanel } from './SubtasksPanel.tsx';

const TABS: { id: MainTab; label: string }[] = [
  { id: 'checkpoints', label: 'Checkpoints' },
  { id: 'state', label: 'State' },
  { id: 'subtasks', label: 'Subtasks' },
];

export function InsightPanel() {
  const tab = useLab((s) => s.mainTab);
  const setTab = useLab((s) => s.setMainTab);
  return (
    <section className="card insight-card" aria-label="Checkpoints, state and subtasks" id="panel-state">
      <Tabs idPrefix="main" tabs={TABS} value={tab} onChange={setTab} label="Views" />
      <TabPanel idPrefix="main" id={tab}>
        {tab === 'checkpoints' && <CheckpointsPanel />}
        {tab === 'state' && <StatePanel />}
        {tab === 'subtasks' && <SubtasksPanel />}
      </TabPanel>
    </section>
  );
}
