/**
 * State: sizes per operator and per subtask over time (sampled from frames), and per key group for one subtask
 * (from the engine's stateDetails), now and over time.
 */
import { line, scaleLinear, scaleOrdinal, schemeTableau10 } from 'd3';
import { useMemo, useState } from 'react';
import type { LsmDetails, StateDetails, Topology } from '../../engine/protocol.ts';
import { formatBytes, formatCount, formatTime } from '../format.ts';
import { subtaskLabel } from '../graph/layout.ts';
import { useMomentQuery } from '../store/useMoment.ts';
import { useWidth } from '../hooks/useWidth.ts';
import { useLab } from '../store/index.ts';
import type { StateSample } from '../store/historySlice.ts';

type Mode = 'operator' | 'subtask';

interface Series {
  id: string;
  label: string;
  color: string;
  dash: string | undefined;
  values: { t: number; v: number }[];
}

function seriesOf(samples: StateSample[], topology: Topology, mode: Mode): Series[] {
  const color = scaleOrdinal<string, string>(schemeTableau10);
  const dashes = [undefined, '5 3', '2 2', '8 3 2 3'];
  if (mode === 'operator') {
    return topology.vertices.map((v, vi) => {
      const members = topology.subtasks.filter((s) => s.vertexId === v.id).map((s) => s.index);
      return {
        id: v.id,
        label: v.name,
        color: color(v.id),
        dash: dashes[vi % dashes.length],
        values: samples.map((s) => ({ t: s.time, v: members.reduce((n, i) => n + (s.bytes[i] ?? 0), 0) })),
      };
    });
  }
  return topology.subtasks.map((st) => ({
    id: st.name,
    label: subtaskLabel(topology, st.index),
    color: color(st.vertexId),
    dash: dashes[st.subtaskIndex % dashes.length],
    values: samples.map((s) => ({ t: s.time, v: s.bytes[st.index] ?? 0 })),
  }));
}

function SizeChart({ samples, topology, mode }: { samples: StateSample[]; topology: Topology; mode: Mode }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 170;
  const series = useMemo(() => seriesOf(samples, topology, mode), [samples, topology, mode]);
  const last = samples[samples.length - 1];
  const t1 = Math.max(1, last?.time ?? 1);
  const vMax = Math.max(16, ...series.flatMap((s) => s.values.map((p) => p.v)));
  const x = scaleLinear()
    .domain([0, t1])
    .range([48, Math.max(60, width - 8)]);
  const y = scaleLinear()
    .domain([0, vMax])
    .nice()
    .range([height - 20, 8]);
  const path = line<{ t: number; v: number }>()
    .x((p) => x(p.t))
    .y((p) => y(p.v));
  return (
    <div ref={ref} className="chart">
      {width > 0 && (
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`State size over time per ${mode}. Latest values are in the table below.`}
        >
          {y.ticks(4).map((v) => (
            <g key={v}>
              <line x1={48} x2={width - 8} y1={y(v)} y2={y(v)} className="grid-line" />
              <text x={44} y={y(v) + 4} textAnchor="end" className="axis-text">
                {formatBytes(v)}
              </text>
            </g>
          ))}
          {x.ticks(Math.max(2, Math.floor(width / 120))).map((t) => (
            <text key={t} x={x(t)} y={height - 6} textAnchor="middle" className="axis-text">
              {formatTime(t).replace('.000', '')}
            </text>
          ))}
          {series.map((s) => (
            <path
              key={s.id}
              d={path(s.values) ?? ''}
              className="series"
              style={{ stroke: s.color }}
              strokeDasharray={s.dash}
            />
          ))}
        </svg>
      )}
      <ul className="legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.id}>
            <svg width="18" height="8">
              <line
                x1="0"
                x2="18"
                y1="4"
                y2="4"
                style={{ stroke: s.color }}
                strokeWidth="2"
                strokeDasharray={s.dash}
              />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The IndexedDB backend's LSM tree of one subtask: memtable, runs per level, block cache, compactions. */
function LsmSection({ lsm }: { lsm: LsmDetails }) {
  const lookups = lsm.cacheHits + lsm.cacheMisses;
  const hitRate = lookups === 0 ? null : lsm.cacheHits / lookups;
  const maxBytes = Math.max(1, lsm.writeBufferBytes, ...lsm.bytesPerLevel);
  const bar = (bytes: number) => (
    <td className="bar-cell">
      <span className="bar" style={{ width: `${(100 * bytes) / maxBytes}%` }} />
    </td>
  );
  return (
    <section aria-label="IndexedDB state backend" data-testid="lsm-details">
      <h4>IndexedDB backend: LSM tree</h4>
      <p className="muted small">
        Writes go to the memtable. A full memtable, or a checkpoint, flushes it to a sorted run in level 0;
        compactions merge runs into deeper levels. Checkpoints upload{' '}
        {lsm.incremental
          ? 'only the runs the last checkpoint did not hold (incremental)'
          : 'every run (full)'}
        ; timers live {lsm.timerService === 'ROCKSDB' ? 'in the LSM' : 'on the heap'}.
      </p>
      <table className="kg-table" aria-label="LSM levels" data-testid="lsm-levels">
        <thead>
          <tr>
            <th scope="col">where</th>
            <th scope="col" className="num">
              runs
            </th>
            <th scope="col" className="num">
              bytes
            </th>
            <th scope="col">
              <span className="visually-hidden">size bar</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">memtable</th>
            <td className="num">{formatCount(lsm.memtableEntries)} entries</td>
            <td className="num">
              {formatBytes(lsm.memtableBytes)} of {formatBytes(lsm.writeBufferBytes)}
            </td>
            {bar(lsm.memtableBytes)}
          </tr>
          {lsm.runsPerLevel.map((runs, level) => (
            <tr key={level}>
              <th scope="row">level {level}</th>
              <td className="num">{runs}</td>
              <td className="num">{formatBytes(lsm.bytesPerLevel[level] ?? 0)}</td>
              {bar(lsm.bytesPerLevel[level] ?? 0)}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small" data-testid="lsm-cache">
        Block cache: {hitRate === null ? 'no lookups yet' : `${Math.round(hitRate * 100)}% hits`} (
        {formatCount(lsm.cacheHits)} of {formatCount(lookups)} block lookups), {formatBytes(lsm.cacheBytes)}{' '}
        of {formatBytes(lsm.cacheCapacity)} · {formatCount(lsm.flushes)} flushes ·{' '}
        {formatCount(lsm.compactions)} compactions{lsm.compactionRunning ? ' (one running)' : ''} · IndexedDB:{' '}
        {formatBytes(lsm.bytesWritten)} written, {formatBytes(lsm.bytesRead)} read, {formatTime(lsm.ioTimeUs)}{' '}
        of virtual I/O time
      </p>
    </section>
  );
}

interface KgSample {
  time: number;
  bytes: Map<number, number>;
}

function KeyGroups({ details, history }: { details: StateDetails; history: KgSample[] }) {
  const used = details.perKeyGroup.filter((k) => k.keys > 0 || k.bytes > 0);
  const maxB = Math.max(1, ...used.map((k) => k.bytes));
  const groups = [...new Set(history.flatMap((h) => [...h.bytes.keys()]))].sort((a, b) => a - b);
  const heatMax = Math.max(1, ...history.flatMap((h) => [...h.bytes.values()]));
  const cols = history.slice(-80);
  return (
    <div className="keygroups">
      <p className="muted small">
        {details.operatorId ?? 'no keyed operator'} · key groups{' '}
        {details.keyGroupRange ? `${details.keyGroupRange.start}–${details.keyGroupRange.end}` : 'n/a'} ·{' '}
        {formatBytes(details.bytes)} · {formatCount(details.keys)} keys · {formatCount(details.timers)} timers
      </p>
      {details.lsm ? <LsmSection lsm={details.lsm} /> : null}
      {used.length === 0 ? (
        <p className="empty">No keyed state in this subtask yet.</p>
      ) : (
        <table className="kg-table" aria-label="State per key group" data-testid="keygroup-table">
          <thead>
            <tr>
              <th scope="col">key group</th>
              <th scope="col" className="num">
                keys
              </th>
              <th scope="col" className="num">
                bytes
              </th>
              <th scope="col">
                <span className="visually-hidden">size bar</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {used.map((k) => (
              <tr key={k.keyGroup}>
                <th scope="row">{k.keyGroup}</th>
                <td className="num">{k.keys}</td>
                <td className="num">{formatBytes(k.bytes)}</td>
                <td className="bar-cell">
                  <span className="bar" style={{ width: `${(100 * k.bytes) / maxB}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {groups.length > 0 && cols.length > 1 && (
        <figure className="heat">
          <figcaption className="muted small">Bytes per key group over time (darker = more)</figcaption>
          <svg
            width="100%"
            height={groups.length * 12 + 4}
            viewBox={`0 0 ${cols.length * 6 + 40} ${groups.length * 12 + 4}`}
            preserveAspectRatio="none"
            role="img"
            aria-label="Heat map of bytes per key group over time"
          >
            {groups.map((g, gi) => (
              <g key={g}>
                <text x={0} y={gi * 12 + 10} className="axis-text">
                  {g}
                </text>
                {cols.map((c, ci) => (
                  <rect
                    key={ci}
                    x={40 + ci * 6}
                    y={gi * 12 + 1}
                    width={6}
                    height={11}
                    className="heat-cell"
                    style={{ opacity: 0.08 + (0.92 * (c.bytes.get(g) ?? 0)) / heatMax }}
                  />
                ))}
              </g>
            ))}
          </svg>
        </figure>
      )}
    </div>
  );
}

export function StatePanel() {
  const topology = useLab((s) => s.topology);
  const samples = useLab((s) => s.samples);
  const snapshot = useLab((s) => s.snapshot);
  const selected = useLab((s) => s.selectedSubtask);
  const select = useLab((s) => s.selectSubtask);
  const [mode, setMode] = useState<Mode>('operator');
  const keyed = topology?.subtasks.filter((s) => s.keyGroupRange !== null) ?? [];
  const subtask = selected ?? keyed[0]?.index ?? 0;
  const details = useMomentQuery<StateDetails>({
    key: `state-details:${subtask}`,
    kind: 'stateDetails',
    subtask,
  });
  const momentTime = useLab((s) => s.moment.time);
  // Key-group sizes over time for the shown subtask, one sample per shown moment (cut back on time travel).
  const [kg, setKg] = useState<{ subtask: number; time: number; samples: KgSample[] }>({
    subtask: -1,
    time: -1,
    samples: [],
  });
  if (details !== null && (kg.subtask !== subtask || kg.time !== momentTime)) {
    const base = kg.subtask === subtask ? kg.samples.filter((x) => x.time < momentTime) : [];
    const sample = {
      time: momentTime,
      bytes: new Map(details.perKeyGroup.filter((k) => k.bytes > 0).map((k) => [k.keyGroup, k.bytes])),
    };
    setKg({ subtask, time: momentTime, samples: [...base, sample].slice(-400) });
  }
  const result = details === null ? null : { details, history: kg.subtask === subtask ? kg.samples : [] };
  if (topology === null) return null;
  return (
    <div className="state-panel" data-testid="state-panel">
      <div className="panel-row">
        <h3>State size over time</h3>
        <div className="segmented" role="radiogroup" aria-label="Group state sizes by">
          {(['operator', 'subtask'] as const).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} onClick={() => setMode(m)}>
              per {m}
            </button>
          ))}
        </div>
      </div>
      <SizeChart samples={samples} topology={topology} mode={mode} />
      <div className="panel-row">
        <h3>State per key group</h3>
        <label className="field">
          <span className="field-label">Subtask</span>
          <select
            value={subtask}
            onChange={(e) => select(Number(e.target.value))}
            aria-label="Subtask whose key groups are shown"
          >
            {topology.subtasks.map((s) => (
              <option key={s.index} value={s.index}>
                {subtaskLabel(topology, s.index)}
                {s.keyGroupRange ? ` (key groups ${s.keyGroupRange.start}–${s.keyGroupRange.end})` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {details !== null && details.subtask === subtask ? (
        <KeyGroups details={details} history={result?.history ?? []} />
      ) : (
        <p className="muted">Loading…</p>
      )}
      <h3>Now, per operator and subtask</h3>
      <div className="table-scroll">
        <table className="num-table" aria-label="State size per subtask">
          <thead>
            <tr>
              <th scope="col">subtask</th>
              <th scope="col" className="num">
                bytes
              </th>
              <th scope="col" className="num">
                keys
              </th>
              <th scope="col">key groups</th>
            </tr>
          </thead>
          <tbody>
            {topology.vertices.map((v) => {
              const members = topology.subtasks.filter((s) => s.vertexId === v.id);
              const total = members.reduce((n, s) => n + (snapshot?.stateBytes[s.index] ?? 0), 0);
              return [
                <tr key={v.id} className="group-row">
                  <th scope="row">{v.name}</th>
                  <td className="num">{formatBytes(total)}</td>
                  <td className="num">
                    {formatCount(members.reduce((n, s) => n + (snapshot?.stateKeys[s.index] ?? 0), 0))}
                  </td>
                  <td />
                </tr>,
                ...members.map((s) => (
                  <tr key={s.index} className={s.index === subtask ? 'selected-row' : undefined}>
                    <th scope="row" className="indent">
                      <button type="button" className="link-button" onClick={() => select(s.index)}>
                        {subtaskLabel(topology, s.index)}
                      </button>
                    </th>
                    <td className="num">{formatBytes(snapshot?.stateBytes[s.index] ?? 0)}</td>
                    <td className="num">{formatCount(snapshot?.stateKeys[s.index] ?? 0)}</td>
                    <td>{s.keyGroupRange ? `${s.keyGroupRange.start}–${s.keyGroupRange.end}` : '—'}</td>
                  </tr>
                )),
              ];
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
