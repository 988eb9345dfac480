import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { engineClient } from './engineClient.ts';
import { openInitialScenario } from './share/startup.ts';
import { useLab } from './store/index.ts';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

engineClient.start(openInitialScenario).catch((err: unknown) => {
  useLab
    .getState()
    .setNotice(`The engine could not start: ${err instanceof Error ? err.message : String(err)}`);
});
