/**
 * Copy link and opening links (issue 11, "Shareable links"). The link codec (engine/link/linkCodec.ts) is loaded
 * on first use, so the page starts without it. A link is opened from the URL's fragment (`#l=...`) at start and
 * whenever the fragment changes; a bad link names what is wrong and leaves what the user saved untouched.
 */
import type { SharedRun } from '../../engine/link/linkTypes.ts';
import { DEFAULT_PRESET, engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import type { CheckpointTab, MainTab } from '../store/viewSlice.ts';
import { markClean } from '../storage/draft.ts';
import { useShare } from './shareStore.ts';

const codec = () => import('../../engine/link/linkCodec.ts');

const MAIN_TABS: readonly MainTab[] = ['checkpoints', 'state', 'subtasks'];
const CHECKPOINT_TABS: readonly CheckpointTab[] = ['overview', 'history', 'summary', 'config', 'timeline'];

/** The panel on screen as a link names it: "checkpoints/history", "state", "subtasks". */
export function panelName(main: MainTab, checkpoints: CheckpointTab): string {
  return main === 'checkpoints' ? `checkpoints/${checkpoints}` : main;
}

/** Shows the panel a link names (unknown names are ignored: a newer lab may have more panels). */
export function showPanel(panel: string | undefined): void {
  if (panel === undefined) return;
  const [main, sub] = panel.split('/');
  const store = useLab.getState();
  const m = MAIN_TABS.find((t) => t === main);
  if (m === undefined) return;
  store.setMainTab(m);
  const c = CHECKPOINT_TABS.find((t) => t === sub);
  if (m === 'checkpoints' && c !== undefined) store.setCheckpointTab(c);
}

/** The page's address without a fragment: where links point. */
function baseUrl(): string {
  return `${location.origin}${location.pathname}${location.search}`;
}

/** The link to the current run at the current moment (pauses playback first). */
export async function currentLinkUrl(): Promise<string> {
  const run = await engineClient.sharedRun();
  if (run === null) throw new Error('There is no scenario to share yet.');
  const s = useLab.getState();
  const lesson = useShare.getState().lesson;
  const full: SharedRun = {
    ...run,
    panel: panelName(s.mainTab, s.checkpointTab),
    ...(lesson === null ? {} : { lesson }),
  };
  const { encodeLink, linkUrl } = await codec();
  const { MAX_LINK_CHARS } = await import('../../engine/link/linkTypes.ts');
  const payload = encodeLink(full);
  if (payload.length > MAX_LINK_CHARS)
    throw new Error(
      `The link would be ${payload.length.toLocaleString('en-US')} characters, over the limit of ${MAX_LINK_CHARS.toLocaleString('en-US')}: export the scenario as a JSON file instead (My scenarios).`,
    );
  return linkUrl(baseUrl(), payload);
}

/** "Copy link": copies the link and shows it in a dialog (with the text selected when the clipboard refuses). */
export async function copyLink(): Promise<void> {
  const url = await currentLinkUrl();
  let copied: boolean;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    copied = false;
  }
  useShare.getState().setLink({ url, copied });
  useLab.getState().setDialog('share-link');
}

const KEPT = 'Nothing you saved was changed (My scenarios).';

/**
 * Opens a link (the text of a URL, `#l=...` or the payload). At start (`atStart`), a bad link opens the default
 * scenario; later, the run on screen stays. Returns true when the link's run is on screen.
 */
export async function openLink(text: string, atStart: boolean): Promise<boolean> {
  const { decodeLink } = await codec();
  const decoded = decodeLink(text);
  const store = useLab.getState();
  const refuse = async (why: string) => {
    if (atStart) await engineClient.loadPreset(DEFAULT_PRESET);
    const instead = atStart ? 'The default scenario is open instead.' : 'The run on screen is unchanged.';
    useLab.getState().setNotice(`This link could not be opened. ${why} ${instead} ${KEPT}`);
    return false;
  };
  if (!decoded.ok) return refuse(decoded.message);
  const run = decoded.run;
  markClean({ ...run.scenario, seed: run.seed });
  const result = await engineClient.openRun(run);
  if (!result.ok) {
    const issues = result.errors
      .slice(0, 3)
      .map((e) => `${e.path === '' ? '(scenario)' : e.path}: ${e.message}`)
      .join('; ');
    return refuse(`Its run cannot be rebuilt here: ${issues}.`);
  }
  showPanel(run.panel);
  useShare.getState().setLesson(run.lesson ?? null);
  store.setNotice(decoded.versionNotice);
  return true;
}

/** The link in the page's fragment, or null. */
export function linkInLocation(): string | null {
  return location.hash.startsWith('#l=') ? location.hash : null;
}

/** Removes the fragment (once opened, a reload should not replay the link over what the user did since). */
function clearFragment(): void {
  history.replaceState(history.state, '', baseUrl());
}

/** At start: the link in the fragment, if any. Returns false when there is none (the caller opens the default). */
export async function openLinkAtStart(): Promise<boolean> {
  const text = linkInLocation();
  if (text === null) return false;
  await openLink(text, true);
  clearFragment();
  return true;
}

/** A link pasted into the address bar of an open page. */
export function listenForLinks(): void {
  window.addEventListener('hashchange', () => {
    const text = linkInLocation();
    if (text === null) return;
    clearFragment();
    void openLink(text, false).catch((e: unknown) =>
      useLab
        .getState()
        .setNotice(`This link could not be opened: ${e instanceof Error ? e.message : String(e)}`),
    );
  });
}
