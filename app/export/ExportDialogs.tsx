/**
 * The dialogs behind "Present & export": the iframe snippet (Embed…), the run's checkpoint statistics as Flink
 * REST JSON and its charts as SVG/PNG (Export the run…), the scenario as Flink SQL + config.yaml (Export to
 * Flink…), and reading a real cluster's statistics into the Checkpoints panels (Import Flink statistics…).
 */
import { strToU8, zipSync } from 'fflate';
import { useMemo, useRef, useState } from 'react';
import { Dialog } from '../controls/Dialog.tsx';
import { formatTime } from '../format.ts';
import { iframeSnippet, embedUrl } from '../embed/embedMode.ts';
import { importText, useImported } from '../panels/checkpoints/imported.ts';
import { useLab } from '../store/index.ts';
import { downloadBlob, downloadText, slug } from './download.ts';
import { useExportDialog } from './exportStore.ts';
import { exportCurrentScenario } from './flinkExport.ts';
import { collectRestFiles, zipFiles } from './restExport.ts';
import { CHARTS, findChart, serializeSvg, svgToPng, type ChartSpec } from './svgExport.ts';
import './export.css';

const close = () => useExportDialog.getState().setOpen(null);

function scenarioSlug(): string {
  return slug(useLab.getState().topology?.scenarioName ?? 'checkpoint-lab');
}

async function copy(text: string, area: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (no permission, insecure context): select the text for Ctrl+C.
    area?.focus();
    area?.select();
    return false;
  }
}

const SIZES = [
  { id: 'slide', label: 'Slide 960 × 540', width: 960, height: 540 },
  { id: 'hd', label: '1280 × 720', width: 1280, height: 720 },
  { id: 'blog', label: 'Blog 720 × 480', width: 720, height: 480 },
] as const;

function EmbedDialog() {
  const [size, setSize] = useState<(typeof SIZES)[number]['id']>('slide');
  const [copied, setCopied] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const chosen = SIZES.find((s) => s.id === size) ?? SIZES[0];
  const snippet = iframeSnippet({ width: chosen.width, height: chosen.height });
  return (
    <Dialog title="Embed in a page or a slide" onClose={close} testId="embed-dialog">
      <p className="muted">
        The embedded lab shows the job graph with large type and presenter keys: <kbd>Space</kbd> play /
        pause, <kbd>←</kbd> <kbd>→</kbd> one second back / forward, <kbd>PageUp</kbd> <kbd>PageDown</kbd> (a
        clicker) the previous / next moment of the story. Once loaded it also works offline.
      </p>
      <fieldset className="export-sizes">
        <legend>Size</legend>
        {SIZES.map((s) => (
          <label key={s.id}>
            <input type="radio" name="embed-size" checked={size === s.id} onChange={() => setSize(s.id)} />{' '}
            {s.label}
          </label>
        ))}
      </fieldset>
      <label className="export-snippet">
        <span className="field-label">iframe snippet</span>
        <textarea
          ref={area}
          readOnly
          rows={4}
          value={snippet}
          data-testid="embed-snippet"
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <div className="dialog-actions">
        <a className="button-link" href={embedUrl()} target="_blank" rel="noreferrer">
          Open the embed view ↗
        </a>
        <button
          type="button"
          className="primary"
          onClick={() =>
            void copy(snippet, area.current).then((ok) =>
              setCopied(ok ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (or ⌘C) to copy.'),
            )
          }
        >
          Copy snippet
        </button>
      </div>
      {copied !== null && (
        <p className="muted small" role="status">
          {copied}
        </p>
      )}
    </Dialog>
  );
}

/** Waits until the chart is on the page (after switching to its tab), up to ~2 s. */
async function waitForChart(spec: ChartSpec): Promise<SVGSVGElement | null> {
  for (let i = 0; i < 40; i++) {
    const el = findChart(spec);
    if (el !== null && el.getBoundingClientRect().width > 0) return el;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

function showChart(spec: ChartSpec): void {
  const s = useLab.getState();
  s.setMainTab(spec.id === 'state-chart' ? 'state' : 'checkpoints');
  if (spec.id === 'checkpoint-timeline') s.setCheckpointTab('timeline');
}

function ExportRunDialog() {
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const imported = useImported((s) => s.file !== null);
  const run = (what: string, fn: () => Promise<string>) => {
    setBusy(true);
    setStatus(`${what}…`);
    fn()
      .then(setStatus)
      .catch((e: unknown) => setStatus(`${what} failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => setBusy(false));
  };
  const exportRest = () =>
    run('Collecting the checkpoint statistics', async () => {
      const rest = await collectRestFiles();
      const name = `${scenarioSlug()}-checkpoints-rest.zip`;
      downloadBlob(new Blob([zipFiles(rest.files) as BlobPart], { type: 'application/zip' }), name);
      return `Saved ${name}: ${Object.keys(rest.files).length - 1} JSON files (${rest.checkpoints} checkpoints, ${rest.vertices} vertex details).`;
    });
  const exportChart = (spec: ChartSpec, format: 'svg' | 'png') =>
    run(`Exporting the ${spec.label.toLowerCase()}`, async () => {
      let svg = findChart(spec);
      if (svg === null) {
        showChart(spec);
        svg = await waitForChart(spec);
      }
      if (svg === null)
        throw new Error(
          spec.id === 'checkpoint-timeline'
            ? 'the timeline needs a checkpoint: run until one is triggered, then try again'
            : 'the state chart needs state: run the job a little, then try again',
        );
      const lab = useLab.getState();
      const at = lab.snapshot === null ? '' : ` · at ${formatTime(lab.snapshot.time)}`;
      const title = `${spec.caption(svg)} · ${lab.topology?.scenarioName ?? 'Checkpoint Lab'}${at}`;
      const out = serializeSvg(svg, { title, legend: spec.legend(svg) });
      const name = `${scenarioSlug()}-${spec.id}.${format}`;
      if (format === 'svg') downloadText(out.text, name, 'image/svg+xml');
      else downloadBlob(await svgToPng(out.text, out.width, out.height), name);
      return `Saved ${name}.`;
    });
  return (
    <Dialog title="Export the run" onClose={close} testId="export-run-dialog">
      {imported && <p className="notice">These are the simulation’s numbers, not the imported file’s.</p>}
      <section className="export-section">
        <h3>Checkpoint statistics as Flink REST JSON</h3>
        <p className="muted">
          One zip with the four endpoints a JobManager serves: <code>/jobs/:jobid/checkpoints</code>,{' '}
          <code>/checkpoints/config</code>, <code>/checkpoints/details/:id</code> and{' '}
          <code>/checkpoints/details/:id/subtasks/:vertexid</code> for every checkpoint in the history, at the
          playhead.
        </p>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={exportRest}
          data-testid="export-rest"
        >
          Download the statistics (.zip)
        </button>
      </section>
      <section className="export-section">
        <h3>Charts</h3>
        <p className="muted">
          As on screen, in the current theme: SVG for slides and print, PNG at twice the pixels.
        </p>
        <ul className="export-charts">
          {CHARTS.map((c) => (
            <li key={c.id}>
              <span>{c.label}</span>
              <button
                type="button"
                disabled={busy}
                onClick={() => exportChart(c, 'svg')}
                data-testid={`export-${c.id}-svg`}
              >
                SVG
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => exportChart(c, 'png')}
                data-testid={`export-${c.id}-png`}
              >
                PNG
              </button>
            </li>
          ))}
        </ul>
      </section>
      {status !== null && (
        <p className="muted small" role="status" data-testid="export-status">
          {status}
        </p>
      )}
    </Dialog>
  );
}

function ExportFlinkDialog() {
  const result = useMemo(() => exportCurrentScenario(), []);
  const [shown, setShown] = useState('job.sql');
  const base = scenarioSlug();
  if (!result.ok)
    return (
      <Dialog title="Export to Flink" onClose={close} testId="export-flink-dialog">
        <div className="notice error" role="alert">
          <strong>The scenario cannot be exported:</strong>
          <ul>
            {result.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      </Dialog>
    );
  const files = result.export.files;
  const file = files.find((f) => f.name === shown) ?? files[0];
  const zipAll = () => {
    const tree: Record<string, Uint8Array> = {};
    for (const f of files) tree[`${base}-flink/${f.name}`] = strToU8(f.text);
    downloadBlob(new Blob([zipSync(tree)], { type: 'application/zip' }), `${base}-flink.zip`);
  };
  return (
    <Dialog title="Export to Flink" onClose={close} testId="export-flink-dialog">
      <p className="muted">
        Take this scenario to a real Flink 1.20 cluster: Flink SQL with Kafka tables (fill in every{' '}
        <code>&lt;fill in: …&gt;</code>) and the matching <code>config.yaml</code>
        {result.export.dataStreamOperators.length > 0 && (
          <>
            ; what SQL cannot express ({result.export.dataStreamOperators.join(', ')}) comes as a DataStream
            API skeleton
          </>
        )}
        .
      </p>
      <ul className="export-files" data-testid="export-flink-files">
        {files.map((f) => (
          <li key={f.name}>
            <button
              type="button"
              className="link-button"
              aria-pressed={f.name === file?.name}
              onClick={() => setShown(f.name)}
            >
              {f.name}
            </button>
            <span className="muted small">{f.description}</span>
            <button type="button" onClick={() => downloadText(f.text, f.name.replace(/^.*\//, ''))}>
              Download
            </button>
          </li>
        ))}
      </ul>
      {file !== undefined && (
        <pre
          className="export-preview"
          tabIndex={0}
          aria-label={`Preview of ${file.name}`}
          data-testid="export-flink-preview"
        >
          {file.text}
        </pre>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={zipAll}>
          Download all (.zip)
        </button>
      </div>
    </Dialog>
  );
}

function ImportDialog() {
  const error = useImported((s) => s.error);
  const [text, setText] = useState('');
  const onFile = async (f: File | undefined) => {
    if (f === undefined) return;
    if (importText(await f.text(), f.name)) close();
  };
  return (
    <Dialog title="Import Flink checkpoint statistics" onClose={close} testId="import-dialog">
      <p className="muted">
        Show a real cluster’s numbers in the Checkpoints panels: save{' '}
        <code>GET /jobs/:jobid/checkpoints</code> from the JobManager’s REST API (Flink 1.14 or later), e.g.{' '}
        <code>curl http://jobmanager:8081/jobs/&lt;jobid&gt;/checkpoints &gt; checkpoints.json</code>. The
        simulation keeps running underneath; “Back to the simulation” returns to it.
      </p>
      <label className="export-file">
        <span className="field-label">JSON file</span>
        <input
          type="file"
          accept=".json,application/json"
          data-testid="import-file"
          onChange={(e) => void onFile(e.currentTarget.files?.[0])}
        />
      </label>
      <label className="export-snippet">
        <span className="field-label">or paste the JSON</span>
        <textarea
          rows={5}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="import-text"
        />
      </label>
      {error !== null && (
        <div className="notice error" role="alert" data-testid="import-error">
          <span>
            <strong>Not imported:</strong> {error}
          </span>
        </div>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="primary"
          disabled={text.trim() === ''}
          onClick={() => {
            if (importText(text, 'pasted JSON')) close();
          }}
        >
          Show pasted JSON
        </button>
      </div>
    </Dialog>
  );
}

export function ExportDialogs() {
  const open = useExportDialog((s) => s.open);
  if (open === 'embed') return <EmbedDialog />;
  if (open === 'export-run') return <ExportRunDialog />;
  if (open === 'export-flink') return <ExportFlinkDialog />;
  if (open === 'import') return <ImportDialog />;
  return null;
}
