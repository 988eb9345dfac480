/**
 * What the page opens with: the link in its fragment (`#l=...`), else the unsaved draft that was on screen before
 * a reload, else the default scenario. Then autosave starts, and links pasted into the address bar open too.
 */
import { DEFAULT_PRESET, engineClient } from '../engineClient.ts';
import { restoreDraftAtStart, startAutosave } from '../storage/draft.ts';
import { useLab } from '../store/index.ts';
import { listenForLinks, openLinkAtStart } from './shareLink.ts';

export async function openInitialScenario(): Promise<void> {
  listenForLinks();
  try {
    if (await openLinkAtStart()) return;
    if (await restoreDraftAtStart()) return;
    await engineClient.loadPreset(DEFAULT_PRESET);
  } catch (e) {
    useLab
      .getState()
      .setNotice(
        `The page could not open what it was asked to: ${e instanceof Error ? e.message : String(e)}`,
      );
    if (useLab.getState().topology === null) await engineClient.loadPreset(DEFAULT_PRESET);
  } finally {
    startAutosave();
  }
}
