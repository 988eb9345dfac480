/**
 * The four phases of one checkpoint per subtask (reference 6.3): start delay (trigger to first barrier), alignment
 * (first to last barrier), sync part, async part, up to the acknowledgement. Clicking a phase moves the playhead to
 * its start; the vertical line is the playhead.
 */
import { scaleLinear } from 'd3';
import type { Frame, Topology } from '../../../engine/protocol.ts';
import { PHASE_WORDS } from '../../graph/subtaskView.ts';
import { useWidth } from '../../hooks/useWidth.ts';
import { useLab } from '../../store/index.ts';
import { goToMs } from './goTo.ts';
import { msDuration, msTime, type CheckpointingStatistics } from './rest.ts';
import { useCheckpointData } from './useCheckpointData.ts';

const ROW_H = 20;
const PHASES = [
  { id: 'delay', label: 'start delay', cls: 'seg-delay' },
  { id: 'align', label: 'alignment', cls: 'seg-align' },
  { id: 'sync', label: 'sync', cls: 'seg-sync' },
  { id: 'async', label: 'async', cls: 'seg-async' },
] as const;

interface Row {
  label: string;
  subtask: number | null;
  segments: { phase: (typeof PHASES)[number]; start: number; dur: number }[];
  ack: number | null;
  live: string | null;
}

const MIN_SEG = 4;

/** Segments left to right; phases shorter than a few pixels still get MIN_SEG pixels each, in order. */
function placeSegments(
  segments: Row['segments'],
  x: (ms: number) => number,
): { s: Row['segments'][number]; x0: number; w: number }[] {
  let end = -Infinity;
  return segments.map((s) => {
    const x0 = Math.max(x(s.start), end);
    const w = Math.max(MIN_SEG, x(s.start + s.dur) - x0);
    end = x0 + w;
    return { s, x0, w };
  });
}

function rowsOf(
  data: NonNullable<ReturnType<typeof useCheckpointData>>,
  topology: Topology | null,
  frame: Frame | null,
  id: number,
): Row[] {
  const rows: Row[] = [];
  for (const v of data.vertices) {
    for (const s of v.subtasks) {
      const st = topology?.subtasks.find((x) => x.vertexId === v.id && x.subtaskIndex === s.index);
      const label = `${v.id} #${s.index}`;
      const ph = st ? frame?.subtaskPhase[st.index] : null;
      const live = ph && ph.checkpointId === id ? PHASE_WORDS[ph.phase] : null;
      if (s.status !== 'completed') {
        rows.push({ label, subtask: st?.index ?? null, segments: [], ack: null, live: live ?? 'pending' });
        continue;
      }
      const sd = s.start_delay ?? 0;
      const al = s.alignment?.duration ?? 0;
      const sy = s.checkpoint?.sync ?? 0;
      const as = s.checkpoint?.async ?? 0;
      rows.push({
        label,
        subtask: st?.index ?? null,
        segments: [
          { phase: PHASES[0], start: 0, dur: sd },
          { phase: PHASES[1], start: sd, dur: al },
          { phase: PHASES[2], start: sd + al, dur: sy },
          { phase: PHASES[3], start: sd + al + sy, dur: as },
        ],
        ack: s.end_to_end_duration ?? null,
        live,
      });
    }
  }
  return rows;
}

export function Timeline({ stats }: { stats: CheckpointingStatistics | null }) {
  const selected = useLab((s) => s.selectedCheckpoint);
  const select = useLab((s) => s.selectCheckpoint);
  const topology = useLab((s) => s.topology);
  const frame = useLab((s) => s.snapshot);
  const history = stats?.history ?? [];
  const id = selected ?? history.find((h) => h.status !== 'IN_PROGRESS')?.id ?? history[0]?.id ?? null;
  const data = useCheckpointData(id);
  const [ref, width] = useWidth<HTMLDivElement>();
  if (id === null) return <p className="empty">No checkpoint has been triggered yet.</p>;
  const d = data?.details;
  const rows = data && d ? rowsOf(data, topology, frame, id) : [];
  const labelW = width < 500 ? 86 : 120;
  const nowMs = (frame?.time ?? 0) / 1000 - (d?.trigger_timestamp ?? 0);
  const maxMs = Math.max(
    1,
    d?.end_to_end_duration ?? 0,
    ...rows.map((r) => r.ack ?? 0),
    d?.status === 'IN_PROGRESS' ? nowMs : 0,
  );
  const x = scaleLinear()
    .domain([0, maxMs])
    .range([labelW, Math.max(labelW + 50, width - 44)]);
  const height = rows.length * ROW_H + 26;
  const ticks = x.ticks(Math.max(2, Math.floor(width / 110)));
  return (
    <div className="cp-timeline" data-testid="checkpoint-timeline">
      <div className="timeline-head">
        <label className="field">
          <span className="field-label">Checkpoint</span>
          <select value={id} onChange={(e) => select(Number(e.target.value))} aria-label="Checkpoint to show">
            {history.map((h) => (
              <option key={h.id} value={h.id}>
                {`${h.id}${h.is_savepoint ? ' (savepoint)' : ''} · ${h.status.toLowerCase().replace('_', ' ')}`}
              </option>
            ))}
            {!history.some((h) => h.id === id) && <option value={id}>{id}</option>}
          </select>
        </label>
        {d && (
          <span className="muted small">
            triggered {msTime(d.trigger_timestamp)} · end to end {msDuration(d.end_to_end_duration)} ·{' '}
            {d.num_acknowledged_subtasks}/{d.num_subtasks} acknowledged
          </span>
        )}
        <ul className="phase-legend" aria-label="Phases">
          {PHASES.map((p) => (
            <li key={p.id}>
              <svg width="18" height="10" aria-hidden="true">
                <rect
                  x="0"
                  y={p.id === 'delay' ? 3 : 0}
                  width="18"
                  height={p.id === 'delay' ? 4 : 10}
                  className={p.cls}
                />
              </svg>
              {p.label}
            </li>
          ))}
          <li>
            <svg width="10" height="10" aria-hidden="true">
              <path d="M5 0 L10 5 L5 10 L0 5 Z" className="seg-ack" />
            </svg>
            acknowledged
          </li>
        </ul>
      </div>
      <div ref={ref} className="timeline-chart">
        {width > 0 && d && (
          <svg
            width={width}
            height={height}
            role="group"
            aria-label={`Phases per subtask of checkpoint ${id}`}
          >
            {ticks.map((t) => (
              <g key={t}>
                <line x1={x(t)} x2={x(t)} y1={14} y2={height} className="grid-line" />
                <text x={x(t)} y={10} className="axis-text" textAnchor="middle">
                  {msDuration(t)}
                </text>
              </g>
            ))}
            {rows.map((r, i) => {
              const y = 18 + i * ROW_H;
              return (
                <g key={r.label} className="tl-row">
                  <text x={4} y={y + 12} className="tl-label">
                    {r.label}
                  </text>
                  {placeSegments(r.segments, x).map(({ s, x0, w }) => {
                    const thin = s.phase.id === 'delay';
                    const label = `${r.label}: ${s.phase.label} ${msDuration(s.dur)}, from ${msDuration(s.start)} after the trigger. Move the playhead there`;
                    return (
                      <rect
                        key={s.phase.id}
                        x={x0}
                        y={thin ? y + 6 : y + 1}
                        width={w}
                        height={thin ? 5 : 15}
                        className={`seg ${s.phase.cls}`}
                        role="button"
                        tabIndex={0}
                        aria-label={label}
                        onClick={() => goToMs(d.trigger_timestamp + s.start)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter' || e.key === ' ') {
                            e.preventDefault();
                            goToMs(d.trigger_timestamp + s.start);
                          }
                        }}
                      >
                        <title>{label}</title>
                      </rect>
                    );
                  })}
                  {r.ack !== null && (
                    <path
                      d={`M${x(r.ack)} ${y + 2} l6 6.5 l-6 6.5 l-6 -6.5 z`}
                      className="seg-ack"
                      role="button"
                      tabIndex={0}
                      aria-label={`${r.label}: acknowledged ${msDuration(r.ack)} after the trigger. Move the playhead there`}
                      onClick={() => goToMs(d.trigger_timestamp + (r.ack ?? 0))}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          goToMs(d.trigger_timestamp + (r.ack ?? 0));
                        }
                      }}
                    />
                  )}
                  {r.live !== null && r.segments.length === 0 && (
                    <text x={labelW + 4} y={y + 12} className="tl-live">
                      {`now: ${r.live}`}
                    </text>
                  )}
                </g>
              );
            })}
            {nowMs >= 0 && nowMs <= maxMs && (
              <line x1={x(nowMs)} x2={x(nowMs)} y1={14} y2={height} className="playhead-line">
                <title>Playhead</title>
              </line>
            )}
          </svg>
        )}
        {!d && <p className="muted">Loading…</p>}
      </div>
    </div>
  );
}
