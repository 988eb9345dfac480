/**
 * The page in embed mode (`?embed`, README "Present and embed"): for an iframe or a slide. Minimal chrome, larger
 * type: the scenario's name and the live readout, three presenter buttons (previous moment, play/pause, next
 * moment), the job graph across the whole width and, under it, the latest line of the story in large type so the
 * audience reads what just happened. Keys: Space plays/pauses, ← / → move 1 s, a clicker's PageUp / PageDown go to
 * the previous / next moment of the story; `?` lists the keys. No tour, no side panels.
 */
import { action, runAction } from '../actions/registry.ts';
import { useShortcuts } from '../actions/useShortcuts.ts';
import { Announcer } from '../controls/Announcer.tsx';
import { LiveReadout } from '../controls/LiveReadout.tsx';
import { ContextMenu } from '../controls/Menu.tsx';
import { ShortcutHelp } from '../controls/ShortcutHelp.tsx';
import { formatTime } from '../format.ts';
import { JobGraph } from '../graph/JobGraph.tsx';
import { useLab } from '../store/index.ts';
import './embed.css';

function fullLabUrl(): string {
  const q = new URLSearchParams(location.search);
  q.delete('embed');
  const query = q.toString();
  return `${location.pathname}${query === '' ? '' : `?${query}`}${location.hash}`;
}

const GLYPHS: Record<string, string> = {
  previous: 'M3 3h2v10H3zM13 3v10L6 8z',
  next: 'M11 3h2v10h-2zM3 3v10l7-5z',
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
};

function Glyph({ d }: { d: string }) {
  return (
    <svg className="embed-glyph" viewBox="0 0 16 16" aria-hidden="true">
      <path d={d} />
    </svg>
  );
}

function PresenterButton({ id, glyph, text }: { id: string; glyph: string; text: string }) {
  const a = action(id);
  const enabled = useLab((s) => a.enabled(s));
  return (
    <button
      type="button"
      className="embed-button"
      data-action={a.id}
      aria-label={a.label}
      aria-keyshortcuts={a.keys.join(' ')}
      title={`${a.label} (${a.keys.join(' or ')})`}
      disabled={!enabled}
      onClick={() => runAction(a)}
    >
      <Glyph d={GLYPHS[glyph] ?? ''} /> <span className="label">{text}</span>
    </button>
  );
}

function PlayPause() {
  const playing = useLab((s) => s.playing);
  const a = action('play');
  const enabled = useLab((s) => a.enabled(s));
  return (
    <button
      type="button"
      className="embed-button primary"
      data-action="play"
      aria-label={playing ? 'Pause' : 'Play'}
      aria-keyshortcuts="Space"
      title={`${playing ? 'Pause' : 'Play'} (Space)`}
      disabled={!enabled}
      onClick={() => runAction(a)}
    >
      <Glyph d={playing ? GLYPHS.pause! : GLYPHS.play!} />{' '}
      <span className="label">{playing ? 'Pause' : 'Play'}</span>
    </button>
  );
}

/** The latest story line (what just happened), large, under the graph. */
function StoryCaption() {
  const last = useLab((s) => s.story[s.story.length - 1] ?? null);
  return (
    <p className="embed-caption" data-testid="embed-caption" aria-live="polite">
      {last === null ? (
        <span className="muted">Press Space to play, PageDown for the next moment.</span>
      ) : (
        <>
          <span className="mono embed-caption-time">{formatTime(last.time)}</span> {last.text}
        </>
      )}
    </p>
  );
}

export function EmbedApp() {
  const topology = useLab((s) => s.topology);
  const dialog = useLab((s) => s.dialog);
  const notice = useLab((s) => s.notice);
  const setNotice = useLab((s) => s.setNotice);
  useShortcuts();
  return (
    <div className="app embed" data-testid="embed">
      <header className="embed-bar">
        <div className="embed-title">
          <a
            className="embed-brand"
            href={fullLabUrl()}
            target="_blank"
            rel="noreferrer"
            title="Open the full lab"
          >
            Checkpoint Lab ↗
          </a>
          <h1 data-testid="scenario-name">{topology?.scenarioName ?? 'Loading…'}</h1>
        </div>
        <div className="embed-controls" role="toolbar" aria-label="Presenter controls">
          <PresenterButton id="previous-moment" glyph="previous" text="Previous" />
          <PlayPause />
          <PresenterButton id="next-moment" glyph="next" text="Next" />
        </div>
        <LiveReadout />
      </header>
      {notice !== null && (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      <main className="embed-stage">
        <JobGraph />
        <StoryCaption />
      </main>
      <ContextMenu />
      {dialog === 'help' && <ShortcutHelp />}
      <Announcer />
    </div>
  );
}
