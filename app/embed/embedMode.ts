/**
 * Embed mode (README "Present and embed"): the page opened with `?embed` (in an iframe or on a slide) shows the job
 * graph with minimal chrome and larger type. `&preset=<id>` picks the scenario; a share link's hash, when there is
 * one, comes along in the snippet unchanged.
 */
import { DEFAULT_PRESET, engineClient } from '../engineClient.ts';
import { report } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';

function params(): URLSearchParams {
  return new URLSearchParams(typeof location === 'undefined' ? '' : location.search);
}

/** True when the page was opened with `?embed` (any value but "0" / "false"). */
export function isEmbed(): boolean {
  const p = params();
  if (!p.has('embed')) return false;
  const v = (p.get('embed') ?? '').toLowerCase();
  return v !== '0' && v !== 'false';
}

/** The preset asked for by `?preset=<id>`, or null. */
export function requestedPreset(): string | null {
  const id = params().get('preset');
  return id === null || id.trim() === '' ? null : id.trim();
}

/** After the engine started: load the preset the URL asks for (embed links carry one). */
export async function loadRequestedPreset(): Promise<void> {
  const id = requestedPreset();
  if (id === null || id === DEFAULT_PRESET) return;
  const s = useLab.getState();
  if (!s.presets.some((p) => p.id === id)) {
    s.setNotice(
      `There is no preset "${id}" (presets: ${s.presets.map((p) => p.id).join(', ')}); showing the default scenario.`,
    );
    return;
  }
  await engineClient.loadPreset(id).catch(report);
}

export interface SnippetOptions {
  width: number;
  height: number;
}

/** The page URL in embed mode for the current scenario (preset id when it is one; the share hash if present). */
export function embedUrl(): string {
  const s = useLab.getState();
  const base = `${location.origin}${location.pathname}`;
  const q = new URLSearchParams();
  q.set('embed', '');
  if (s.source?.kind === 'preset') q.set('preset', s.source.id);
  const query = q.toString().replace(/^embed=/, 'embed');
  return `${base}?${query}${location.hash}`;
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** A copyable `<iframe>` for a page, a slide deck or a blog post. */
export function iframeSnippet(opts: SnippetOptions): string {
  const name = useLab.getState().topology?.scenarioName ?? 'Checkpoint Lab';
  return (
    `<iframe src="${attr(embedUrl())}" width="${opts.width}" height="${opts.height}" ` +
    `title="${attr(`Checkpoint Lab: ${name}`)}" style="border:0" loading="lazy" allow="fullscreen"></iframe>`
  );
}
