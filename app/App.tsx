import { LiveReadout } from './controls/LiveReadout.tsx';
import { Transport } from './controls/Transport.tsx';
import { JobGraph } from './graph/JobGraph.tsx';
import { LogPanel } from './panels/LogPanel.tsx';
import { SinkPanel } from './panels/SinkPanel.tsx';
import { SubtasksPanel } from './panels/SubtasksPanel.tsx';
import { useLab } from './store/index.ts';

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

export function App() {
  const topology = useLab((s) => s.topology);
  return (
    <div className="app">
      <header className="topbar">
        <div className="title">
          <span className="brand">Checkpoint Lab</span>
          <h1 data-testid="scenario-name">{topology?.scenarioName ?? 'Loading…'}</h1>
        </div>
        <Transport />
        <LiveReadout />
      </header>
      <Notices />
      <main className="layout">
        <div className="col-main">
          <JobGraph />
          <SubtasksPanel />
        </div>
        <div className="col-side">
          <SinkPanel />
          <LogPanel />
        </div>
      </main>
    </div>
  );
}
