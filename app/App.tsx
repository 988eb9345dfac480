import { CompareDialog } from './controls/CompareDialog.tsx';
import { ScheduleFaultDialog } from './controls/ScheduleFaultDialog.tsx';
import { useShortcuts } from './actions/useShortcuts.ts';
import { ExportDialogs } from './export/ExportDialogs.tsx';
import { ExportMenu } from './export/ExportMenu.tsx';
import { Announcer } from './controls/Announcer.tsx';
import { LiveReadout, TeachingBadge } from './controls/LiveReadout.tsx';
import { ContextMenu } from './controls/Menu.tsx';
import { RestartDialog } from './controls/RestartDialog.tsx';
import { Scrubber } from './controls/Scrubber.tsx';
import { ShortcutHelp } from './controls/ShortcutHelp.tsx';
import { HelpButton, ScenarioPicker, Toolbar } from './controls/Toolbar.tsx';
import { JobGraph } from './graph/JobGraph.tsx';
import { InsightPanel } from './panels/InsightPanel.tsx';
import { LogPanel } from './panels/LogPanel.tsx';
import { OutputPanel } from './panels/OutputPanel.tsx';
import { Tour } from './onboarding/Tour.tsx';
import { WhatToWatch } from './onboarding/WhatToWatch.tsx';
import { LessonHost } from './lessons/LessonHost.tsx';
import { LessonsButton } from './lessons/LessonsPage.tsx';
import { useLab } from './store/index.ts';
import { ShareLinkDialog } from './share/ShareLinkDialog.tsx';
import { ShareTools } from './share/ShareTools.tsx';
import { MyScenariosDialog } from './storage/MyScenariosDialog.tsx';

function Notices() {
  const notice = useLab((s) => s.notice);
  const errors = useLab((s) => s.loadErrors);
  const setNotice = useLab((s) => s.setNotice);
  const setLoadErrors = useLab((s) => s.setLoadErrors);
  return (
    <>
      {notice !== null && (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {errors.length > 0 && (
        <div className="notice error" role="alert">
          <div>
            <strong>The scenario was not loaded; the previous one is still running.</strong>
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  <code>{e.path || '(root)'}</code>: {e.message}
                </li>
              ))}
            </ul>
          </div>
          <button type="button" aria-label="Dismiss errors" onClick={() => setLoadErrors([])}>
            ×
          </button>
        </div>
      )}
    </>
  );
}

function Dialogs() {
  const dialog = useLab((s) => s.dialog);
  if (dialog === 'help') return <ShortcutHelp />;
  if (dialog === 'restart') return <RestartDialog />;
  if (dialog === 'schedule-fault') return <ScheduleFaultDialog />;
  if (dialog === 'compare') return <CompareDialog />;
  if (dialog === 'share-link') return <ShareLinkDialog />;
  if (dialog === 'scenarios') return <MyScenariosDialog />;
  return null;
}

export function App() {
  const topology = useLab((s) => s.topology);
  useShortcuts();
  return (
    <div className="app">
      <header className="topbar">
        <div className="topline">
          <div className="title">
            <span className="brand">Checkpoint Lab</span>
            <h1 data-testid="scenario-name">{topology?.scenarioName ?? 'Loading…'}</h1>
          </div>
          <div className="topline-tools">
            <ScenarioPicker />
            <ShareTools />
            <LessonsButton />
            <ExportMenu />
            <HelpButton />
          </div>
          <LiveReadout />
        </div>
        <Toolbar />
        <Scrubber />
      </header>
      <Notices />
      <WhatToWatch />
      <main className="layout">
        <div className="col-main">
          <TeachingBadge />
          <JobGraph />
          <InsightPanel />
        </div>
        <div className="col-side">
          <OutputPanel />
          <LogPanel />
        </div>
      </main>
      <ContextMenu />
      <Dialogs />
      <ExportDialogs />
      <Tour />
      <LessonHost />
      <Announcer />
    </div>
  );
}
