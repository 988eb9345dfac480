/**
 * Quick switches (issue 10 §7): the settings a learner flips most — sink delivery, checkpointing mode, unaligned
 * checkpoints, checkpoint interval, state backend, restart strategy. Each reloads the scenario with the change
 * made in its document (the JSON the CLI reads); an invalid result keeps the running scenario and shows the
 * engine's errors. "Edit scenario…" opens the full editor.
 */
import { useMemo, useState } from 'react';
import { tryResolveConfig } from '../../engine/scenario/config.ts';
import { formatDuration } from '../../engine/scenario/duration.ts';
import type { ConfigValue } from '../../engine/scenario/types.ts';
import { action, report, runAction } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';
import { applyEdit } from './applyScenario.ts';
import {
  DELIVERIES,
  documentOf,
  isObject,
  sinkDelivery,
  withConfig,
  withSinkDelivery,
  type Delivery,
  type Json,
  type JsonObject,
} from './scenarioDocument.ts';
import { useMedia } from './useMedia.ts';
import './editor.css';

export const INTERVAL_KEY = 'execution.checkpointing.interval';
export const MODE_KEY = 'execution.checkpointing.mode';
export const UNALIGNED_KEY = 'execution.checkpointing.unaligned.enabled';
export const BACKEND_KEY = 'state.backend.type';
export const RESTART_KEY = 'restart-strategy.type';

const INTERVALS_US = [100_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 30_000_000];
const RESTARTS = ['none', 'fixed-delay', 'failure-rate', 'exponential-delay'] as const;

/** What each delivery mode guarantees, in one line (reference 5.4). */
export const DELIVERY_MEANING: Record<Delivery, string> = {
  'at-least-once':
    'every result arrives, but a replay after a failure writes again what the sink wrote since the last checkpoint: duplicates are possible.',
  idempotent:
    'writes are upserts: a replayed result overwrites its earlier copy, so a reader sees each result once, right away.',
  'exactly-once':
    'two-phase commit: results become visible when the checkpoint that covers them completes; a failure aborts the open transaction, so each result is seen exactly once.',
};

/** The effective values of the settings the switches show (Flink's defaults and derived values filled in). */
function effective(doc: JsonObject | null): ReadonlyMap<string, ConfigValue | null> | null {
  if (doc === null) return null;
  const r = tryResolveConfig(isObject(doc.config) ? doc.config : {});
  return r.ok ? r.config.values : null;
}

function useDocument(): JsonObject | null {
  const source = useLab((s) => s.source);
  return useMemo(() => documentOf(source), [source]);
}

function run(edit: (doc: JsonObject) => JsonObject): void {
  applyEdit(edit).catch(report);
}

const setConfig = (key: string, value: Json | undefined) => run((d) => withConfig(d, key, value));

/** The sink delivery choice: a select (toolbar) or a segmented switch (Output panel, one sink). */
export function DeliverySwitch({ sinkId, variant }: { sinkId?: string; variant: 'select' | 'segmented' }) {
  const doc = useDocument();
  const busy = useLab((s) => s.busy);
  const current = doc === null ? null : sinkDelivery(doc, sinkId);
  if (current === null) return null;
  const change = (d: Delivery) => run((x) => withSinkDelivery(x, d, sinkId));
  if (variant === 'segmented')
    return (
      <div
        className="segmented delivery-switch"
        role="radiogroup"
        aria-label={`Delivery of sink ${sinkId ?? ''}`.trim()}
        data-testid="delivery-switch"
      >
        {DELIVERIES.map((d) => (
          <button
            key={d}
            type="button"
            role="radio"
            aria-checked={current === d}
            disabled={busy}
            title={`${d}: ${DELIVERY_MEANING[d]}`}
            onClick={() => {
              if (current !== d) change(d);
            }}
          >
            {d}
          </button>
        ))}
      </div>
    );
  return (
    <label className="field">
      <span className="field-label">Sink</span>
      <select
        aria-label="Sink delivery"
        value={current}
        disabled={busy}
        title={current === 'mixed' ? 'The sinks use different delivery modes' : DELIVERY_MEANING[current]}
        onChange={(e) => change(e.target.value as Delivery)}
      >
        {current === 'mixed' && <option value="mixed">mixed</option>}
        {DELIVERIES.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
    </label>
  );
}

export function QuickSwitches() {
  const doc = useDocument();
  const busy = useLab((s) => s.busy);
  const phone = useMedia('(max-width: 600px)');
  const [open, setOpen] = useState(false);
  const values = effective(doc);
  if (doc === null) return null;
  const disabled = busy || values === null;
  const mode = String(values?.get(MODE_KEY) ?? 'EXACTLY_ONCE');
  const unaligned = values?.get(UNALIGNED_KEY) === true;
  const interval = values?.get(INTERVAL_KEY);
  const intervalUs = typeof interval === 'number' ? interval : null;
  const intervals =
    intervalUs === null || INTERVALS_US.includes(intervalUs)
      ? INTERVALS_US
      : [...INTERVALS_US, intervalUs].sort((a, b) => a - b);
  const backend = String(values?.get(BACKEND_KEY) ?? 'hashmap');
  const restartSet = isObject(doc.config) && doc.config[RESTART_KEY] !== undefined;
  const restart = String(values?.get(RESTART_KEY) ?? 'none');
  // What the engine's config resolution makes of the key when it is unset (depends on checkpointing).
  const restartDefault = restartSet
    ? String(effective(withConfig(doc, RESTART_KEY, undefined))?.get(RESTART_KEY) ?? '?')
    : restart;
  const delivery = sinkDelivery(doc);
  const summary = [
    delivery === null ? null : `sink ${delivery}`,
    intervalUs === null ? 'no checkpoints' : `every ${formatDuration(intervalUs)}`,
    mode === 'AT_LEAST_ONCE' ? 'at-least-once mode' : unaligned ? 'unaligned' : null,
    `restart ${restart}`,
  ]
    .filter((x) => x !== null)
    .join(' · ');

  const controls = (
    <div className="qs-body" role="group" aria-label="Scenario settings (a change reloads the scenario)">
      <span className="group-label qs-label" aria-hidden="true">
        Settings:
      </span>
      <DeliverySwitch variant="select" />
      <label className="field">
        <span className="field-label">Mode</span>
        <select
          aria-label="Checkpointing mode"
          value={mode}
          disabled={disabled}
          title="EXACTLY_ONCE aligns barriers; AT_LEAST_ONCE does not block inputs (records after a barrier may be in the snapshot)"
          onChange={(e) => setConfig(MODE_KEY, e.target.value)}
        >
          <option value="EXACTLY_ONCE">EXACTLY_ONCE</option>
          <option value="AT_LEAST_ONCE">AT_LEAST_ONCE</option>
        </select>
      </label>
      <label
        className="field check"
        title={
          mode === 'AT_LEAST_ONCE'
            ? 'Unaligned checkpoints exist only in EXACTLY_ONCE mode'
            : 'Barriers overtake in-flight data, which is stored in the checkpoint'
        }
      >
        <input
          type="checkbox"
          aria-label="Unaligned checkpoints"
          checked={unaligned}
          disabled={disabled || mode === 'AT_LEAST_ONCE'}
          onChange={(e) => setConfig(UNALIGNED_KEY, e.target.checked)}
        />
        <span className="field-label">Unaligned</span>
      </label>
      <label className="field">
        <span className="field-label">Interval</span>
        <select
          aria-label="Checkpoint interval"
          value={intervalUs ?? ''}
          disabled={disabled}
          onChange={(e) =>
            setConfig(
              INTERVAL_KEY,
              e.target.value === '' ? undefined : formatDuration(Number(e.target.value)),
            )
          }
        >
          <option value="">off (no checkpoints)</option>
          {intervals.map((us) => (
            <option key={us} value={us}>
              {formatDuration(us)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">State</span>
        <select
          aria-label="State backend"
          value={backend}
          disabled={disabled}
          onChange={(e) => setConfig(BACKEND_KEY, e.target.value)}
        >
          <option value="hashmap">hashmap</option>
          <option value="indexeddb" disabled>
            indexeddb (coming with the IndexedDB backend)
          </option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Restart</span>
        <select
          aria-label="Restart strategy"
          value={restartSet ? restart : ''}
          disabled={disabled}
          onChange={(e) => setConfig(RESTART_KEY, e.target.value === '' ? undefined : e.target.value)}
        >
          <option value="">default ({restartDefault})</option>
          {RESTARTS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="edit-scenario"
        data-action="edit-scenario"
        aria-keyshortcuts="e"
        title="Edit scenario (e): operators, cluster, every Flink key, faults, and the JSON"
        disabled={busy}
        onClick={() => runAction(action('edit-scenario'))}
      >
        Edit scenario…
      </button>
    </div>
  );
  if (!phone)
    return (
      <div className="quick-switches" data-testid="quick-switches">
        {controls}
      </div>
    );
  return (
    <details
      className="quick-switches"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
      data-testid="quick-switches"
    >
      <summary>
        <span className="qs-title">Settings</span>
        <span className="qs-summary muted">{summary}</span>
      </summary>
      {controls}
    </details>
  );
}
