import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { EmbedApp } from './embed/EmbedApp.tsx';
import { isEmbed, loadRequestedPreset } from './embed/embedMode.ts';
import { registerOffline } from './embed/offline.ts';
import { engineClient } from './engineClient.ts';
import { openInitialScenario } from './share/startup.ts';
import { useLab } from './store/index.ts';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(<StrictMode>{isEmbed() ? <EmbedApp /> : <App />}</StrictMode>);

registerOffline();

engineClient
  .start(openInitialScenario)
  .then(loadRequestedPreset)
  .catch((err: unknown) => {
    useLab
      .getState()
      .setNotice(`The engine could not start: ${err instanceof Error ? err.message : String(err)}`);
  });
