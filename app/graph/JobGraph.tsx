/**
 * The job graph: JobVertices (operator chains) left to right, each expanded to its subtasks, channels between
 * subtasks. Static structure in SVG, per-subtask numbers from the throttled snapshot, in-flight items on the
 * canvas layer above.
 */
import { memo, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Frame, SubtaskStatus, Topology } from '../../engine/protocol.ts';
import { formatBytes, formatCompact, truncate } from '../format.ts';
import { useLab } from '../store/index.ts';
import { FlightLayer } from './FlightLayer.tsx';
import { layoutGraph, type GraphLayout, type SubtaskBox } from './layout.ts';

function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.clientWidth));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function statusTone(status: SubtaskStatus | undefined): string {
  switch (status) {
    case 'RUNNING':
      return 'ok';
    case 'FINISHED':
    case 'CANCELED':
      return 'done';
    case 'FAILED':
    case 'CANCELING':
      return 'bad';
    default:
      return 'pending';
  }
}

/** Static structure: vertices, subtask boxes, channels. Re-rendered only when the layout changes. */
const GraphStructure = memo(function GraphStructure({ layout }: { layout: GraphLayout }) {
  return (
    <>
      <g className="channels">
        {layout.channels.map((c) => (
          <path key={c.index} d={c.d} className="channel" />
        ))}
      </g>
      {layout.vertices.map((v) => {
        const maxChars = Math.floor((v.w - 20) / 6.3);
        const lines = layout.vertical
          ? [v.operators.map((o) => o.name).join(' → ')]
          : v.operators.map((o) => (layout.compact ? o.name : `${o.name} · ${o.kind}`));
        return (
          <g key={v.id} className="vertex" data-testid="vertex" data-vertex={v.id}>
            <title>{`${v.name}: ${v.operators.map((o) => `${o.name} (${o.kind})`).join(' → ')}, parallelism ${v.parallelism}`}</title>
            <rect x={v.x} y={v.y} width={v.w} height={v.h} rx={8} className="vertex-box" />
            <text x={v.x + 10} y={v.y + 17} className="vertex-name">
              {truncate(v.name, Math.floor((v.w - 48) / 7.5))}
            </text>
            <text x={v.x + v.w - 10} y={v.y + 17} className="vertex-par" textAnchor="end">
              ×{v.parallelism}
            </text>
            {lines.map((line, i) => (
              <text key={i} x={v.x + 10} y={v.y + 35 + i * 15} className="vertex-op">
                {truncate(line, maxChars)}
              </text>
            ))}
          </g>
        );
      })}
    </>
  );
});

/** Shortens "vertex #2" from the middle so the subtask number stays visible. */
function fitLabel(label: string, maxChars: number): string {
  if (label.length <= maxChars) return label;
  const cut = label.lastIndexOf(' #');
  if (cut < 0) return truncate(label, maxChars);
  const suffix = label.slice(cut);
  return `${truncate(label.slice(0, cut), Math.max(2, maxChars - suffix.length))}${suffix}`;
}

function SubtaskNode({ box, frame, layout }: { box: SubtaskBox; frame: Frame | null; layout: GraphLayout }) {
  const i = box.index;
  const status = frame?.subtaskStatus[i];
  const busy = frame?.busy[i] ?? 0;
  const bp = frame?.backpressured[i] ?? 0;
  const inN = frame?.recordsIn[i] ?? 0;
  const outN = frame?.recordsOut[i] ?? 0;
  const state = frame?.stateBytes[i] ?? 0;
  const maxChars = Math.floor((box.w - 16) / 6.4);
  const narrow = box.w < 120;
  const stats = narrow
    ? `${formatCompact(inN)} → ${formatCompact(outN)}`
    : layout.compact
      ? `in ${formatCompact(inN)} · out ${formatCompact(outN)}`
      : `in ${formatCompact(inN)} · out ${formatCompact(outN)}${state > 0 ? ` · ${formatBytes(state)}` : ''}`;
  return (
    <g className={`subtask tone-${statusTone(status)}`} data-testid="subtask" data-subtask={box.name}>
      <title>{`${box.label} (${box.name}) on ${box.placement}: ${status ?? '…'}, records in ${inN}, out ${outN}, state ${formatBytes(state)}`}</title>
      <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={5} className="subtask-box" />
      <rect x={box.x} y={box.y} width={4} height={box.h} rx={2} fill={layout.tmColor(box.taskManager)} />
      <text x={box.x + 10} y={box.y + 14} className="subtask-name">
        {fitLabel(box.label, Math.floor((box.w - 30) / 7))}
      </text>
      <circle cx={box.x + box.w - 9} cy={box.y + 10} r={3.5} className="status-dot">
        <title>{status ?? 'unknown'}</title>
      </circle>
      <text x={box.x + 10} y={box.y + 27} className="subtask-meta">
        {truncate(narrow ? box.placement.replace(' · slot ', ' / ') : box.placement, maxChars)}
      </text>
      <text x={box.x + 10} y={box.y + 40} className="subtask-stats">
        {truncate(stats, maxChars)}
      </text>
      {/* Busy (processing) and back-pressured shares of the last interval, as a thin bar at the bottom. */}
      <rect
        x={box.x + 6}
        y={box.y + box.h - 4}
        width={Math.max(0, (box.w - 12) * busy)}
        height={2}
        className="busy-bar"
      />
      <rect
        x={box.x + 6 + (box.w - 12) * busy}
        y={box.y + box.h - 4}
        width={Math.max(0, (box.w - 12) * bp)}
        height={2}
        className="bp-bar"
      />
    </g>
  );
}

function TaskManagerLegend({ topology, layout }: { topology: Topology; layout: GraphLayout }) {
  return (
    <ul className="legend" aria-label="Legend">
      {topology.taskManagers.map((tm) => (
        <li key={tm.index}>
          <span className="swatch" style={{ background: layout.tmColor(tm.index) }} />
          {tm.name} ({tm.slots} slots)
        </li>
      ))}
      <li>
        <svg width="12" height="12" aria-hidden="true">
          <circle cx="6" cy="6" r="4" className="lg-data" />
        </svg>
        data buffer (size ~ records)
      </li>
      <li>
        <svg width="12" height="12" aria-hidden="true">
          <path d="M6 0 L11 6 L6 12 L1 6 Z" className="lg-watermark" />
        </svg>
        watermark
      </li>
      <li>
        <svg width="8" height="14" aria-hidden="true">
          <rect x="1.5" y="0" width="5" height="14" className="lg-barrier" />
        </svg>
        barrier
      </li>
      <li>
        <svg width="12" height="12" aria-hidden="true">
          <rect x="2" y="2" width="8" height="8" className="lg-end" />
        </svg>
        end of input
      </li>
    </ul>
  );
}

export function JobGraph() {
  const topology = useLab((s) => s.topology);
  const snapshot = useLab((s) => s.snapshot);
  const [ref, width] = useWidth<HTMLDivElement>();
  const layout = useMemo(
    () => (topology !== null && width > 0 ? layoutGraph(topology, width) : null),
    [topology, width],
  );
  return (
    <section className="card graph-card" aria-labelledby="graph-title">
      <div className="card-head">
        <h2 id="graph-title">Job graph</h2>
        {topology && (
          <span className="muted">
            {topology.vertices.length} vertices · {topology.subtasks.length} subtasks ·{' '}
            {topology.channels.length} channels
          </span>
        )}
      </div>
      <div className="graph-scroll" ref={ref}>
        {layout && topology && (
          <div className="graph-stage" style={{ width: layout.width, height: layout.height }}>
            <svg
              className="graph-svg"
              width={layout.width}
              height={layout.height}
              role="img"
              aria-label={`Job graph of ${topology.jobName}`}
            >
              <GraphStructure layout={layout} />
              {layout.subtasks.map((box) => (
                <SubtaskNode key={box.index} box={box} frame={snapshot} layout={layout} />
              ))}
            </svg>
            <FlightLayer layout={layout} />
          </div>
        )}
      </div>
      {layout && topology && <TaskManagerLegend topology={topology} layout={layout} />}
    </section>
  );
}
