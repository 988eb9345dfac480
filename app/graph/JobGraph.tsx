/**
 * The job graph: operator columns crossed with TaskManager slot rows; each subtask where its column meets its
 * slot. Structure in SVG (keyboard-focusable, labelled), per-subtask state from the throttled snapshot, moving
 * items and channel gates on the canvas layer above. Subtasks, TaskManagers, channels and the checkpoint storage
 * open their fault-injection menus (action registry) on click, Enter or `m`.
 */
import { memo, useMemo, type KeyboardEvent, type MouseEvent } from 'react';
import type { Frame, Topology } from '../../engine/protocol.ts';
import { formatBytes, formatTime, truncate } from '../format.ts';
import { useWidth } from '../hooks/useWidth.ts';
import { useLab } from '../store/index.ts';
import type { MenuTarget } from '../store/viewSlice.ts';
import { FailureExplainer, formatCountdown } from './FailureExplainer.tsx';
import { FlightLayer } from './FlightLayer.tsx';
import { GraphLegend } from './GraphLegend.tsx';
import { layoutGraph, type GraphLayout, type SubtaskBox, type TaskManagerBand } from './layout.ts';
import {
  aggregateView,
  describeSubtask,
  indexFrame,
  subtaskView,
  type FrameIndex,
  type SubtaskView,
} from './subtaskView.ts';

/** Opens the menu of a graph element below it (mouse position for clicks, the element's box for keys). */
export function openMenuAt(
  target: MenuTarget,
  el: Element | null,
  e?: { clientX: number; clientY: number },
): void {
  const r = el?.getBoundingClientRect();
  const x = e && e.clientX > 0 ? e.clientX : r ? r.left + 8 : 100;
  const y = e && e.clientY > 0 ? e.clientY : r ? r.bottom : 100;
  useLab.getState().openMenu({
    target,
    x,
    y,
    returnFocus: el instanceof HTMLElement || el instanceof SVGElement ? (el as HTMLElement) : null,
  });
}

/** Props for an SVG element that acts as a menu button. */
function menuButton(target: MenuTarget, label: string, onSelect?: () => void) {
  return {
    role: 'button',
    tabIndex: 0,
    'aria-label': label,
    'aria-haspopup': 'menu' as const,
    onClick: (e: MouseEvent<SVGGElement>) => {
      onSelect?.();
      openMenuAt(target, e.currentTarget, e);
    },
    onKeyDown: (e: KeyboardEvent<SVGGElement>) => {
      if (e.key === 'Enter' || e.key === ' ' || e.key === 'm' || e.key === 'ContextMenu') {
        e.preventDefault();
        onSelect?.();
        openMenuAt(target, e.currentTarget);
      }
    },
  };
}

const Defs = memo(function Defs() {
  return (
    <defs>
      <pattern
        id="hatch-bad"
        width="7"
        height="7"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="7" height="7" className="hatch-bg-bad" />
        <line x1="0" y1="0" x2="0" y2="7" className="hatch-line-bad" strokeWidth="3" />
      </pattern>
      <pattern
        id="hatch-lost"
        width="10"
        height="10"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <line x1="0" y1="0" x2="0" y2="10" className="hatch-line-bad" strokeWidth="2" />
      </pattern>
      <pattern
        id="hatch-done"
        width="7"
        height="7"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="7" height="7" className="hatch-bg-done" />
        <line x1="0" y1="0" x2="0" y2="7" className="hatch-line-done" strokeWidth="2" />
      </pattern>
    </defs>
  );
});

/** Static structure: columns, vertex headers, channel paths. Re-rendered only when the layout changes. */
const GraphStructure = memo(function GraphStructure({ layout }: { layout: GraphLayout }) {
  const toggle = useLab((s) => s.toggleCollapsed);
  return (
    <>
      {layout.columns.map((c) => (
        <rect key={c.depth} x={c.x} y={c.y} width={c.w} height={c.h} rx={8} className="column-box" />
      ))}
      <g className="channels">
        {layout.channels.map((c) => (
          <path key={c.index} d={c.d} className={c.bundled ? 'channel bundled' : 'channel'} />
        ))}
      </g>
      {layout.vertices.map((v) => {
        const ops = v.operators.map((o) => `${o.name} (${o.kind})`).join(' → ');
        const label = `${v.name}: ${ops}, parallelism ${v.parallelism}`;
        const nameChars = Math.floor((v.w - (v.collapsible ? 70 : 50)) / 7.3);
        const lines = layout.vertical ? [truncate(v.name, nameChars)] : v.nameLines;
        const opY = v.y + 31 + (lines.length - 1) * 14;
        const opLine = v.operators.map((o) => (layout.compact ? o.kind : `${o.kind}`)).join(' → ');
        const inner = (
          <>
            <title>{label}</title>
            {v.collapsible && (
              <text x={v.x + 10} y={v.y + 16} className="vertex-toggle" aria-hidden="true">
                {v.collapsed ? '▸' : '▾'}
              </text>
            )}
            <text x={v.x + (v.collapsible ? 24 : 10)} y={v.y + 16} className="vertex-name">
              {lines.map((l, i) => (
                <tspan key={i} x={v.x + (v.collapsible ? 24 : 10)} dy={i === 0 ? 0 : 14}>
                  {l}
                </tspan>
              ))}
            </text>
            <text x={v.x + v.w - 10} y={v.y + 16} className="vertex-par" textAnchor="end">
              ×{v.parallelism}
            </text>
            {!layout.vertical && (
              <text x={v.x + (v.collapsible ? 24 : 10)} y={opY} className="vertex-op">
                {truncate(`${v.id} · ${opLine}`, Math.floor((v.w - 30) / 6))}
              </text>
            )}
          </>
        );
        return v.collapsible ? (
          <g
            key={v.id}
            className="vertex"
            data-testid="vertex"
            data-vertex={v.id}
            role="button"
            tabIndex={0}
            aria-expanded={!v.collapsed}
            aria-label={`${label}. ${v.collapsed ? 'Expand to subtasks' : 'Collapse subtasks'}`}
            onClick={() => toggle(v.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                toggle(v.id);
              }
            }}
          >
            <rect x={v.x} y={v.y} width={v.w} height={v.h} className="vertex-hit" />
            {inner}
          </g>
        ) : (
          <g key={v.id} className="vertex" data-testid="vertex" data-vertex={v.id}>
            {inner}
          </g>
        );
      })}
    </>
  );
});

/** Invisible wide strokes over the channels: clicking one opens its menu (keyboard: the receiver's menu). */
const ChannelHits = memo(function ChannelHits({
  layout,
  topology,
}: {
  layout: GraphLayout;
  topology: Topology;
}) {
  return (
    <g className="channel-hits" aria-hidden="true">
      {layout.channels.map((c) => {
        const ch = topology.channels[c.index];
        const from = ch ? topology.subtasks[ch.from]?.name : '';
        const to = ch ? topology.subtasks[ch.to]?.name : '';
        return (
          <path
            key={c.index}
            d={c.d}
            className="channel-hit"
            data-channel={c.index}
            onClick={(e) => openMenuAt({ kind: 'channel', channel: c.index }, e.currentTarget, e)}
          >
            <title>{`Channel ${from} → ${to}: click to stall it`}</title>
          </path>
        );
      })}
    </g>
  );
});

const TaskManagerBandView = memo(function TaskManagerBandView({
  band,
  alive,
  color,
  vertical,
  detectInUs,
}: {
  band: TaskManagerBand;
  alive: boolean;
  color: string;
  vertical: boolean;
  /** Dead but not yet noticed by the JobManager: virtual µs until it is, else null. */
  detectInUs: number | null;
}) {
  const free = band.slots.filter((s) => !s.used).length;
  const countdown = detectInUs !== null ? formatCountdown(detectInUs) : null;
  const label = `TaskManager ${band.name}, ${band.slots.length} slots${free > 0 ? ` (${free} free)` : ''}: ${alive ? 'running' : countdown !== null ? `dead, the JobManager notices in ${countdown}` : 'LOST'}. Open its menu`;
  const lostWord = countdown !== null ? `✕ noticed in ${countdown}` : '✕ LOST';
  return (
    <g
      className={alive ? 'tm-band' : 'tm-band lost'}
      data-testid="taskmanager"
      data-tm={band.name}
      data-alive={alive}
    >
      <rect
        x={band.x}
        y={band.y}
        width={band.w}
        height={band.h}
        rx={10}
        className="tm-bg"
        style={{ fill: color }}
      />
      {!alive && (
        <rect
          x={band.x}
          y={band.y}
          width={band.w}
          height={band.h}
          rx={10}
          fill="url(#hatch-lost)"
          className="tm-lost-hatch"
        />
      )}
      <rect
        x={band.x}
        y={band.y}
        width={band.w}
        height={band.h}
        rx={10}
        className="tm-outline"
        style={{ stroke: alive ? color : undefined }}
      />
      {band.slots.map((s) =>
        vertical ? (
          <text key={s.slot} x={s.x + s.w / 2} y={s.y + s.h - 4} className="slot-label" textAnchor="middle">
            {s.used ? `slot ${s.local}` : 'free'}
          </text>
        ) : (
          <text key={s.slot} x={band.x + 8} y={s.y + s.h / 2 + (s.used ? 14 : 4)} className="slot-label">
            {s.used ? `slot ${s.local}` : `slot ${s.local} · free`}
          </text>
        ),
      )}
      <g {...menuButton({ kind: 'taskManager', tm: band.tm }, label)} className="tm-label-button">
        {vertical ? (
          <>
            <rect
              x={band.x + 4}
              y={band.y + 3}
              width={Math.min(band.w - 8, alive ? 44 : countdown !== null ? 150 : 96)}
              height={18}
              rx={4}
              className="tm-label-bg"
            />
            <text
              x={band.x + 10}
              y={band.y + 16}
              className="tm-name"
              data-testid="tm-status"
              {...squeeze(alive ? band.name : `${band.name} ${lostWord}`, band.w - 18)}
            >
              {alive ? band.name : `${band.name} ${lostWord}`}
            </text>
          </>
        ) : (
          <>
            <rect
              x={band.x + 3}
              y={band.y + 4}
              width={56}
              height={alive ? 20 : countdown !== null ? 62 : 34}
              rx={4}
              className="tm-label-bg"
            />
            <text x={band.x + 8} y={band.y + 18} className="tm-name">
              {band.name}
            </text>
            {!alive && (
              <text x={band.x + 8} y={band.y + 32} className="tm-lost-text" data-testid="tm-status">
                {countdown !== null ? (
                  <>
                    ✕ dead
                    <tspan x={band.x + 8} dy={14}>
                      noticed
                    </tspan>
                    <tspan x={band.x + 8} dy={14}>
                      in {countdown}
                    </tspan>
                  </>
                ) : (
                  lostWord
                )}
              </text>
            )}
          </>
        )}
      </g>
    </g>
  );
});

/** SVG text squeezed to `room` px when its estimated width (bold 12 px) would overflow. */
function squeeze(text: string, room: number): { textLength?: number; lengthAdjust?: 'spacingAndGlyphs' } {
  return text.length * 7.2 > room ? { textLength: room, lengthAdjust: 'spacingAndGlyphs' } : {};
}

/** Virtual µs until the JobManager notices a dead TaskManager, or null. */
function detectIn(frame: Frame | null, tm: number): number | null {
  const at = frame?.taskManagerDetectAtUs[tm] ?? null;
  return frame !== null && at !== null ? at - frame.time : null;
}

function CoordinatorBoxes({ layout, frame }: { layout: GraphLayout; frame: Frame | null }) {
  const jm = layout.jobManager;
  const st = layout.storage;
  const cps = frame?.checkpoints;
  const pending = cps?.pending ?? [];
  const latest = cps?.latestCompleted ?? null;
  const line1 =
    pending.length > 0
      ? pending
          .map(
            (p) =>
              `${p.type === 'CHECKPOINT' ? 'cp' : p.type === 'UNALIGNED_CHECKPOINT' ? 'ucp' : 'sp'} ${p.id}: ${p.acknowledged}/${p.total} acked`,
          )
          .join(' · ')
      : cps?.enabled === false
        ? 'periodic checkpoints disabled'
        : 'no checkpoint in progress';
  const line2 = `${latest ? `latest completed: ${latest.id} at ${formatTime(latest.time)}` : 'no completed checkpoint'} · restarts ${frame?.restarts ?? 0}`;
  const titleChars = Math.floor((jm.w - 16) / 7.2);
  const maxChars = Math.floor((jm.w - 16) / 6.8);
  return (
    <>
      <g className="jm-box" data-testid="job-manager">
        <rect x={jm.x} y={jm.y} width={jm.w} height={jm.h} rx={6} className="coord-box" />
        <text x={jm.x + 8} y={jm.y + 15} className="coord-title">
          {truncate(
            [
              `JobManager · CheckpointCoordinator · ${frame?.status ?? ''}`,
              `JobManager · ${frame?.status ?? ''}`,
              `JM · ${frame?.status ?? ''}`,
            ].find((t) => t.length <= titleChars) ?? `JM · ${frame?.status ?? ''}`,
            titleChars,
          )}
        </text>
        <text x={jm.x + 8} y={jm.y + 31} className="coord-text">
          {truncate(pending.length > 0 ? line1 : line2, maxChars)}
        </text>
      </g>
      <g
        className="storage-box"
        data-testid="checkpoint-storage"
        {...menuButton(
          { kind: 'storage' },
          'Checkpoint storage (JobManagerCheckpointStorage). Open its menu to fail uploads',
        )}
      >
        <rect x={st.x} y={st.y} width={st.w} height={st.h} rx={6} className="coord-box storage" />
        <path
          d={`M${st.x + 10},${st.y + 11} a8,3 0 0,0 16,0 a8,3 0 0,0 -16,0 v18 a8,3 0 0,0 16,0 v-18`}
          className="storage-icon"
          aria-hidden="true"
        />
        <text x={st.x + 34} y={st.y + 15} className="coord-title">
          {truncate(st.w > 150 ? 'Checkpoint storage' : 'Storage', Math.floor((st.w - 40) / 7.2))}
        </text>
        <text x={st.x + 34} y={st.y + 31} className="coord-text">
          {truncate(
            latest ? `chk-${latest.id} · ${formatBytes(latest.stateSize)}` : 'empty',
            Math.floor((st.w - 40) / 6.8),
          )}
        </text>
      </g>
    </>
  );
}

/** Shortens "vertex #2" from the middle so the subtask number stays visible. */
function fitLabel(label: string, maxChars: number): string {
  if (label.length <= maxChars) return label;
  const cut = label.lastIndexOf(' #');
  if (cut < 0) return truncate(label, maxChars);
  const suffix = label.slice(cut);
  return `${truncate(label.slice(0, cut), Math.max(2, maxChars - suffix.length))}${suffix}`;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

interface NodeProps {
  box: SubtaskBox;
  view: SubtaskView;
  label: string;
  description: string;
  selected: boolean;
  movedTo: string | null;
}

/** Re-render a subtask box only when something it shows changed (views are rebuilt for every snapshot). */
function sameNode(a: NodeProps, b: NodeProps): boolean {
  if (a.box !== b.box || a.label !== b.label || a.description !== b.description) return false;
  if (a.selected !== b.selected || a.movedTo !== b.movedTo) return false;
  const va = a.view as unknown as Record<string, unknown>;
  const vb = b.view as unknown as Record<string, unknown>;
  for (const k in va) if (va[k] !== vb[k]) return false;
  return true;
}

const SubtaskNode = memo(function SubtaskNode({
  box,
  view,
  label,
  description,
  selected,
  movedTo,
}: NodeProps) {
  const select = useLab((s) => s.selectSubtask);
  // Character budgets per line (bold 11-12 px sans, 10.5 px mono).
  const phaseChars = Math.floor((box.w - 12) / 6.9);
  const statChars = Math.floor((box.w - 12) / 6.4);
  const narrow = box.w < 130;
  const phase = view.phaseText.length <= phaseChars ? view.phaseText : view.phaseShort;
  const load = `busy ${pct(view.busy)}${view.backpressured > 0.005 ? ` · bp ${pct(view.backpressured)}` : ''}`;
  const stats = narrow
    ? `${formatBytes(view.stateBytes)} · ${pct(view.busy)}`
    : `${formatBytes(view.stateBytes)} · ${load}`;
  const deployed = view.status === 'RUNNING' || view.status === 'INITIALIZING' || view.status === 'DEPLOYING';
  const fill =
    view.tone === 'bad'
      ? 'url(#hatch-bad)'
      : view.status === 'FINISHED'
        ? 'url(#hatch-done)'
        : deployed
          ? view.fill
          : undefined;
  // Narrow boxes keep only the badge's glyph: the phase line below says the status in words.
  const badge = box.w < 160 ? (view.badge.split(' ')[0] ?? '') : view.badge;
  const badgeChars = badge.length;
  const nameChars = Math.floor((box.w - 14 - (badgeChars > 0 ? badgeChars * 7 + 6 : 0)) / 7.4);
  return (
    <g
      className={`subtask tone-${view.tone} phase-${view.phase ?? 'none'}${selected ? ' selected' : ''}${box.aggregate ? ' aggregate' : ''}`}
      data-testid="subtask"
      data-subtask={box.aggregate ? box.vertexId : box.name}
      data-status={view.status}
      data-phase={view.phase ?? ''}
      {...menuButton({ kind: 'subtask', subtask: box.index }, description, () => select(box.index))}
    >
      <title>{description}</title>
      <rect
        x={box.x}
        y={box.y}
        width={box.w}
        height={box.h}
        rx={5}
        className="subtask-box"
        style={deployed && view.tone !== 'bad' ? { fill, stroke: view.stroke } : fill ? { fill } : undefined}
      />
      {view.phase === 'aligning' && (
        <rect
          x={box.x - 3}
          y={box.y - 3}
          width={box.w + 6}
          height={box.h + 6}
          rx={7}
          className="aligning-ring"
        />
      )}
      {selected && (
        <rect
          x={box.x - 4}
          y={box.y - 4}
          width={box.w + 8}
          height={box.h + 8}
          rx={8}
          className="selected-ring"
        />
      )}
      <text x={box.x + 7} y={box.y + 15} className="subtask-name">
        {fitLabel(label, nameChars)}
      </text>
      {badge !== '' && (
        <text x={box.x + box.w - 6} y={box.y + 15} className="subtask-badge" textAnchor="end">
          {badge}
        </text>
      )}
      <text x={box.x + 7} y={box.y + 31} className="subtask-phase">
        {truncate(phase, phaseChars)}
      </text>
      <text x={box.x + 7} y={box.y + 47} className="subtask-stats">
        {truncate(movedTo !== null ? `${movedTo} · ${stats}` : stats, statChars)}
      </text>
    </g>
  );
}, sameNode);

function placementOf(topology: Topology, box: SubtaskBox): string {
  const tm = topology.taskManagers[box.taskManager]?.name ?? `tm-${box.taskManager}`;
  return `${tm} slot ${box.slot}`;
}

function Subtasks({
  layout,
  topology,
  frame,
}: {
  layout: GraphLayout;
  topology: Topology;
  frame: Frame | null;
}) {
  const selected = useLab((s) => s.selectedSubtask);
  const index: FrameIndex | null = useMemo(
    () => (frame ? indexFrame(frame, topology) : null),
    [frame, topology],
  );
  const nodes: NodeProps[] = [];
  const seen = new Set<string>();
  for (const box of layout.subtasks) {
    if (box === undefined) continue;
    if (box.aggregate) {
      if (seen.has(box.vertexId)) continue;
      seen.add(box.vertexId);
      const members = topology.subtasks.filter((s) => s.vertexId === box.vertexId);
      const view = aggregateView(members.map((m) => subtaskView(frame, topology, index, m.index)));
      const label = `${box.vertexId} ×${view.count}`;
      nodes.push({
        box,
        view,
        label,
        description: `${box.vertexId}, ${view.count} subtasks collapsed: ${view.phaseCounts}; state ${formatBytes(view.stateBytes)}; max busy ${pct(view.busy)}, max back-pressured ${pct(view.backpressured)}; records in ${view.recordsIn}`,
        selected: members.some((m) => m.index === selected),
        movedTo: null,
      });
      continue;
    }
    const view = subtaskView(frame, topology, index, box.index);
    const moved = view.taskManagerNow >= 0 && view.taskManagerNow !== box.taskManager;
    nodes.push({
      box,
      view,
      label: box.label,
      description: describeSubtask(box.label, placementOf(topology, box), view) + '. Open its menu',
      selected: selected === box.index,
      movedTo: moved ? `on tm-${view.taskManagerNow}` : null,
    });
  }
  return (
    <g className="subtasks">
      {nodes.map((n) => (
        <SubtaskNode key={n.box.aggregate ? `v:${n.box.vertexId}` : n.box.index} {...n} />
      ))}
    </g>
  );
}

export function JobGraph() {
  const topology = useLab((s) => s.topology);
  const snapshot = useLab((s) => s.snapshot);
  const collapsed = useLab((s) => s.collapsed);
  const [ref, width] = useWidth<HTMLDivElement>();
  const layout = useMemo(
    () => (topology !== null && width > 0 ? layoutGraph(topology, width, collapsed) : null),
    [topology, width, collapsed],
  );
  const alive = snapshot?.taskManagerAlive;
  return (
    <section className="card graph-card" aria-labelledby="graph-title" id="panel-graph">
      <div className="card-head">
        <h2 id="graph-title">Job graph</h2>
        {topology && (
          <span className="muted">
            {topology.vertices.length} operators · {topology.subtasks.length} subtasks ·{' '}
            {topology.channels.length} channels · {topology.taskManagers.length} TaskManager
            {topology.taskManagers.length === 1 ? '' : 's'}
          </span>
        )}
      </div>
      <FailureExplainer />
      <div className="graph-scroll" ref={ref}>
        {layout && topology && (
          <div className="graph-stage" style={{ width: layout.width, height: layout.height }}>
            <svg
              className="graph-svg"
              width={layout.width}
              height={layout.height}
              role="group"
              aria-label={`Job graph of ${topology.jobName}: operators left to right, TaskManager slots as rows`}
            >
              <Defs />
              {layout.taskManagers.map((band) => (
                <TaskManagerBandView
                  key={band.tm}
                  band={band}
                  alive={alive?.[band.tm] !== false}
                  color={layout.tmColor(band.tm)}
                  vertical={layout.vertical}
                  detectInUs={detectIn(snapshot, band.tm)}
                />
              ))}
              <GraphStructure layout={layout} />
              <ChannelHits layout={layout} topology={topology} />
              <CoordinatorBoxes layout={layout} frame={snapshot} />
              <Subtasks layout={layout} topology={topology} frame={snapshot} />
            </svg>
            <FlightLayer layout={layout} topology={topology} />
          </div>
        )}
      </div>
      <GraphLegend />
    </section>
  );
}

/**
 * The job graph drawn from a given frame, read-only (the Compare view shows two timelines at one virtual time): the
 * same drawing as the live graph; inert, so nothing in it opens a menu or changes the selection.
 */
export function StaticJobGraph({ topology, frame }: { topology: Topology; frame: Frame }) {
  const collapsed = useLab((s) => s.collapsed);
  const [ref, width] = useWidth<HTMLDivElement>();
  const layout = useMemo(
    () => (width > 0 ? layoutGraph(topology, width, collapsed) : null),
    [topology, width, collapsed],
  );
  // A layout wider than the box (a half-width column) is scaled down to fit, when it stays readable.
  const fit = layout !== null && layout.width > width ? width / layout.width : 1;
  const scale = fit >= 0.6 ? fit : 1;
  return (
    <div className="graph-scroll static-graph" ref={ref}>
      {layout && (
        <div style={{ width: layout.width * scale, height: layout.height * scale }}>
          <div
            className="graph-stage"
            inert
            style={{
              width: layout.width,
              height: layout.height,
              transform: scale < 1 ? `scale(${scale})` : undefined,
              transformOrigin: '0 0',
            }}
          >
            <svg className="graph-svg" width={layout.width} height={layout.height} aria-hidden="true">
              <Defs />
              {layout.taskManagers.map((band) => (
                <TaskManagerBandView
                  key={band.tm}
                  band={band}
                  alive={frame.taskManagerAlive[band.tm] !== false}
                  color={layout.tmColor(band.tm)}
                  vertical={layout.vertical}
                  detectInUs={detectIn(frame, band.tm)}
                />
              ))}
              <GraphStructure layout={layout} />
              <CoordinatorBoxes layout={layout} frame={frame} />
              <Subtasks layout={layout} topology={topology} frame={frame} />
            </svg>
          </div>
        </div>
      )}
    </div>
  );
}
