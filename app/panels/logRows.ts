/**
 * Display grouping of the narrated log, read from the typed events (never the text): barrier-level lines of one
 * checkpoint fold into one row; a checkpoint result can show the lines behind it.
 */
import type { LogEntry, RuntimeEvent, RuntimeEventKind } from '../../engine/protocol.ts';

/** A point on the timeline worth a tick on the scrubber. */
export interface Mark {
  time: number;
  kind: 'completed' | 'failed' | 'fault' | 'recovery' | 'savepoint' | 'incorrect';
  label: string;
}

/** Display classification of the engine's typed events for the scrubber (the engine decides what happened). */
export function markOf(e: LogEntry): Mark | null {
  const ev = e.event;
  const at = (kind: Mark['kind']): Mark => ({ time: e.time, kind, label: e.text });
  switch (ev.kind) {
    case 'checkpoint-completed':
      return at(
        ev.checkpointType === 'SAVEPOINT' || ev.checkpointType === 'SYNC_SAVEPOINT'
          ? 'savepoint'
          : 'completed',
      );
    case 'checkpoint-failed':
    case 'job-failed':
    case 'stop-with-savepoint-failed':
      return at('failed');
    case 'fault-injected':
    case 'failure-detected':
      return at('fault');
    case 'restoring':
    case 'running-again':
      return at('recovery');
    default:
      return null;
  }
}

/** Identity of a log line for de-duplication when a rebuilt run hands back lines the story already holds. */
function sameLine(a: LogEntry, b: LogEntry): boolean {
  return a.time === b.time && a.subtask === b.subtask && a.kind === b.kind && a.text === b.text;
}

/**
 * Appends the story lines of `entries` to `story` (both oldest first). Lines older than the story's newest are
 * already in it; lines at its newest time are skipped when an equal line is there (a rebuilt run replays them).
 * The story is never capped: every fault, restart and checkpoint result since the start of the run stays.
 */
export function appendStory(story: LogEntry[], entries: readonly LogEntry[]): LogEntry[] {
  const last = story[story.length - 1];
  let out: LogEntry[] | null = null;
  const used = new Set<LogEntry>();
  for (const e of entries) {
    if (!e.story) continue;
    if (last !== undefined && out === null) {
      if (e.time < last.time) continue;
      if (e.time === last.time) {
        let dup: LogEntry | undefined;
        for (let i = story.length - 1; i >= 0; i--) {
          const s = story[i];
          if (s === undefined || s.time !== e.time) break;
          if (!used.has(s) && sameLine(s, e)) {
            dup = s;
            break;
          }
        }
        if (dup !== undefined) {
          used.add(dup);
          continue;
        }
      }
    }
    out ??= story.slice();
    out.push(e);
  }
  return out ?? story;
}

/** Barrier-level events: folded per checkpoint in the "All" view, shown under the checkpoint's result. */
const CHECKPOINT_LEVEL: ReadonlySet<RuntimeEventKind> = new Set<RuntimeEventKind>([
  'checkpoint-triggered',
  'barrier-emitted',
  'barrier-received',
  'alignment-complete',
  'unaligned-barrier',
  'subtask-snapshot',
  'checkpoint-acknowledged',
  'checkpoint-declined',
]);

/** The checkpoint a barrier-level event belongs to, or null for any other event. */
export function groupIdOf(ev: RuntimeEvent): number | null {
  return CHECKPOINT_LEVEL.has(ev.kind) && 'checkpointId' in ev && typeof ev.checkpointId === 'number'
    ? ev.checkpointId
    : null;
}

/** The checkpoint a story line reports the result of (completed, failed, savepoint), or null. */
export function resultIdOf(ev: RuntimeEvent): number | null {
  return ev.kind === 'checkpoint-completed' || ev.kind === 'checkpoint-failed' ? ev.checkpointId : null;
}

function formatDuration(us: number): string {
  if (us < 1000) return `${us} µs`;
  if (us < 1_000_000) return `${Math.round(us / 1000)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/** "checkpoint 7: 6/6 acknowledged in 80 ms", from the typed events of the group (oldest first). */
export function groupSummary(checkpointId: number, lines: readonly LogEntry[]): string {
  const first = lines[0];
  let acked: { n: number; of: number; at: number } | null = null;
  let declined = 0;
  for (const e of lines) {
    if (e.event.kind === 'checkpoint-acknowledged')
      acked = { n: e.event.acknowledged, of: e.event.total, at: e.time };
    if (e.event.kind === 'checkpoint-declined') declined++;
  }
  const parts = [`checkpoint ${checkpointId}:`];
  if (acked !== null && first !== undefined)
    parts.push(`${acked.n}/${acked.of} acknowledged in ${formatDuration(acked.at - first.time)}`);
  else parts.push(`${lines.length} barrier event${lines.length === 1 ? '' : 's'}`);
  if (declined > 0) parts.push(`· ${declined} declined`);
  return parts.join(' ');
}

export type LogRowModel =
  | { type: 'line'; e: LogEntry; key: string }
  | { type: 'group'; checkpointId: number; lines: LogEntry[]; key: string };

/**
 * Rows of the "All" view, newest first: barrier-level lines of one checkpoint become one group row, placed where
 * the newest of them is. At most `limit` rows.
 */
export function allRows(
  log: readonly LogEntry[],
  keep: (e: LogEntry) => boolean,
  limit: number,
): LogRowModel[] {
  const rows: LogRowModel[] = [];
  const groups = new Map<number, LogEntry[]>();
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i];
    if (e === undefined || !keep(e)) continue;
    const id = e.story ? null : groupIdOf(e.event);
    if (id !== null) {
      const g = groups.get(id);
      if (g !== undefined) {
        g.unshift(e);
        continue;
      }
      if (rows.length >= limit) break;
      const lines = [e];
      groups.set(id, lines);
      rows.push({ type: 'group', checkpointId: id, lines, key: `g${id}:${e.time}` });
      continue;
    }
    if (rows.length >= limit) break;
    rows.push({ type: 'line', e, key: `l${i}:${e.time}` });
  }
  return rows;
}

/** The barrier-level lines of each checkpoint still in the recent log, oldest first. */
export function linesByCheckpoint(log: readonly LogEntry[]): Map<number, LogEntry[]> {
  const out = new Map<number, LogEntry[]>();
  for (const e of log) {
    const id = e.story ? null : groupIdOf(e.event);
    if (id === null) continue;
    const lines = out.get(id);
    if (lines === undefined) out.set(id, [e]);
    else lines.push(e);
  }
  return out;
}
