/**
 * The form view of the scenario editor: scenario, cluster, operators (add, remove, connect inputs, parallelism,
 * keyBy, window, sink delivery), every Flink key the simulator understands (default, meaning, reference section)
 * and the fault schedule. Every field edits the same JSON document as the JSON view; the engine's validation
 * errors appear at the field whose path they name.
 */
import { useId, useState, type ReactNode } from 'react';
import type { ScenarioIssue } from '../../engine/protocol.ts';
import { CONFIG_KEYS, formatConfigValue, type ConfigKeySpec } from '../../engine/scenario/config.ts';
import { FAULT_KINDS } from '../../engine/scenario/schema.ts';
import { useLab } from '../store/index.ts';
import {
  DELIVERIES,
  configEntry,
  formatPath,
  getIn,
  isObject,
  numberOrText,
  operatorsOf,
  setIn,
  withConfig,
  type Json,
  type JsonObject,
} from './scenarioDocument.ts';

type Path = (string | number)[];
type Edit = (doc: JsonObject) => JsonObject;

const OPERATOR_KINDS = [
  'source',
  'map',
  'filter',
  'flatMap',
  'union',
  'reduce',
  'window',
  'windowCount',
  'keyedProcess',
  'sink',
] as const;
const KEYED = new Set(['reduce', 'window', 'windowCount', 'keyedProcess']);
const WINDOWED = new Set(['window', 'windowCount']);
/** Fields the form edits; others of an operator are edited in the JSON view. */
const FORM_FIELDS = new Set([
  'id',
  'kind',
  'name',
  'input',
  'parallelism',
  'keyBy',
  'window',
  'aggregate',
  'delivery',
  'topic',
]);

/** A new operator of a kind, with the fields its schema requires, reading from `input`. */
function template(kind: string, id: string, input: string | null, keyField: string): JsonObject {
  const op: JsonObject = { id, kind };
  if (kind !== 'source' && input !== null) op.input = input;
  switch (kind) {
    case 'source':
      op.topic = 'input';
      break;
    case 'map':
      op.fn = { type: 'identity' };
      break;
    case 'filter':
      op.where = { field: keyField, op: 'ne', value: '' };
      break;
    case 'flatMap':
      op.fn = { type: 'repeat', times: 1 };
      break;
    case 'reduce':
      op.keyBy = keyField;
      op.aggregate = 'count';
      break;
    case 'window':
      op.keyBy = keyField;
      op.window = 'tumbling 10s';
      op.aggregate = 'count';
      break;
    case 'windowCount':
      op.keyBy = keyField;
      op.window = 'tumbling 10s';
      break;
    case 'keyedProcess':
      op.keyBy = keyField;
      op.fn = 'userActivity';
      op.field = keyField;
      break;
    case 'sink':
      op.delivery = 'at-least-once';
      break;
  }
  return op;
}

/** A scalar as text ('' for a missing value, JSON for an object or list). */
function text(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function inputsOf(op: JsonObject): string[] {
  const i = op.input;
  if (typeof i === 'string') return [i];
  return Array.isArray(i) ? i.filter((x): x is string => typeof x === 'string') : [];
}

/** Errors whose path is exactly `path`. */
function errorsAt(issues: readonly ScenarioIssue[], path: Path): ScenarioIssue[] {
  const p = formatPath(path);
  return issues.filter((i) => i.path === p);
}

function FieldErrors({ issues, id }: { issues: ScenarioIssue[]; id: string }) {
  if (issues.length === 0) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {issues.map((i) => i.message).join('; ')}
    </span>
  );
}

/** A labelled text input bound to a path; shows the errors reported at that path. */
function TextField({
  label,
  path,
  doc,
  issues,
  edit,
  numeric = false,
  placeholder,
  list,
  hint,
  wide = false,
}: {
  label: string;
  path: Path;
  doc: JsonObject;
  issues: readonly ScenarioIssue[];
  edit: (e: Edit) => void;
  numeric?: boolean;
  placeholder?: string;
  list?: string;
  hint?: string;
  wide?: boolean;
}) {
  const id = useId();
  const value = text(getIn(doc, path));
  const errs = errorsAt(issues, path);
  return (
    <label className={`ef${wide ? ' ef-wide' : ''}`} data-path={formatPath(path)}>
      <span className="ef-label">{label}</span>
      <input
        type="text"
        inputMode={numeric ? 'numeric' : undefined}
        value={value}
        placeholder={placeholder}
        list={list}
        aria-invalid={errs.length > 0}
        aria-describedby={errs.length > 0 ? `${id}-err` : undefined}
        onChange={(e) => {
          const t = e.target.value;
          edit((d) => setIn(d, path, numeric ? numberOrText(t) : t === '' ? undefined : t));
        }}
      />
      {hint !== undefined && errs.length === 0 && <span className="ef-hint">{hint}</span>}
      <FieldErrors issues={errs} id={`${id}-err`} />
    </label>
  );
}

function SelectField({
  label,
  path,
  doc,
  issues,
  edit,
  options,
  emptyLabel,
}: {
  label: string;
  path: Path;
  doc: JsonObject;
  issues: readonly ScenarioIssue[];
  edit: (e: Edit) => void;
  options: readonly string[];
  /** Label of the "not set" choice (removes the field); absent = the field is required. */
  emptyLabel?: string;
}) {
  const id = useId();
  const value = text(getIn(doc, path));
  const errs = errorsAt(issues, path);
  const all = value !== '' && !options.includes(value) ? [value, ...options] : options;
  return (
    <label className="ef" data-path={formatPath(path)}>
      <span className="ef-label">{label}</span>
      <select
        value={value}
        aria-invalid={errs.length > 0}
        aria-describedby={errs.length > 0 ? `${id}-err` : undefined}
        onChange={(e) => {
          const t = e.target.value;
          edit((d) => setIn(d, path, t === '' ? undefined : t));
        }}
      >
        {(emptyLabel !== undefined || value === '') && <option value="">{emptyLabel ?? '(choose)'}</option>}
        {all.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <FieldErrors issues={errs} id={`${id}-err`} />
    </label>
  );
}

function Section({ title, children, count }: { title: string; children: ReactNode; count?: string }) {
  return (
    <details className="ed-section" open>
      <summary>
        <h3>{title}</h3>
        {count !== undefined && <span className="muted small">{count}</span>}
      </summary>
      {children}
    </details>
  );
}

/** Errors under a path that no field shows (e.g. a missing required field of an operator). */
function errorsUnder(
  issues: readonly ScenarioIssue[],
  path: Path,
  shown: (p: string) => boolean,
): ScenarioIssue[] {
  const p = formatPath(path);
  return issues.filter(
    (i) => (i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`)) && !shown(i.path),
  );
}

function OperatorCard({
  op,
  index,
  ids,
  topics,
  doc,
  issues,
  edit,
}: {
  op: JsonObject;
  index: number;
  ids: string[];
  topics: string[];
  doc: JsonObject;
  issues: readonly ScenarioIssue[];
  edit: (e: Edit) => void;
}) {
  const base: Path = ['job', 'operators', index];
  const kind = text(op.kind);
  const id = text(op.id);
  const inputs = inputsOf(op);
  const others = ids.filter((x) => x !== id);
  const extra = Object.keys(op).filter((k) => !FORM_FIELDS.has(k));
  const shownPaths = new Set(
    ['id', 'kind', 'name', 'input', 'parallelism', 'keyBy', 'window', 'aggregate', 'delivery', 'topic'].map(
      (f) => formatPath([...base, f]),
    ),
  );
  const rest = errorsUnder(issues, base, (p) => shownPaths.has(p));
  const inputErrors = errorsAt(issues, [...base, 'input']);
  const setInputs = (list: string[]) =>
    edit((d) =>
      setIn(d, [...base, 'input'], list.length === 0 ? undefined : list.length === 1 ? list[0] : list),
    );
  return (
    <div className="op-card" data-testid="editor-operator" data-operator={id} data-path={formatPath(base)}>
      <div className="op-head">
        <strong>{id || '(no id)'}</strong>
        <span className="muted">{kind}</span>
        <button
          type="button"
          className="link-button danger-link"
          aria-label={`Remove operator ${id}`}
          onClick={() => edit((d) => setIn(d, base, undefined))}
        >
          Remove
        </button>
      </div>
      <div className="ef-grid">
        <TextField label="id" path={[...base, 'id']} doc={doc} issues={issues} edit={edit} />
        <SelectField
          label="kind"
          path={[...base, 'kind']}
          doc={doc}
          issues={issues}
          edit={edit}
          options={OPERATOR_KINDS}
        />
        <TextField
          label="name"
          path={[...base, 'name']}
          doc={doc}
          issues={issues}
          edit={edit}
          placeholder={id}
        />
        <TextField
          label="parallelism"
          path={[...base, 'parallelism']}
          doc={doc}
          issues={issues}
          edit={edit}
          numeric
          placeholder="parallelism.default"
        />
        {kind === 'source' ? (
          <SelectField
            label="topic"
            path={[...base, 'topic']}
            doc={doc}
            issues={issues}
            edit={edit}
            options={topics}
          />
        ) : (
          <fieldset
            className="ef ef-wide inputs"
            aria-invalid={inputErrors.length > 0}
            data-path={formatPath([...base, 'input'])}
          >
            <legend className="ef-label">inputs</legend>
            {others.length === 0 && <span className="muted small">no other operator</span>}
            {others.map((o) => (
              <label key={o} className="check">
                <input
                  type="checkbox"
                  checked={inputs.includes(o)}
                  onChange={(e) =>
                    setInputs(e.target.checked ? [...inputs, o] : inputs.filter((x) => x !== o))
                  }
                />
                {o}
              </label>
            ))}
            {inputs
              .filter((o) => !others.includes(o))
              .map((o) => (
                <label key={o} className="check">
                  <input type="checkbox" checked onChange={() => setInputs(inputs.filter((x) => x !== o))} />
                  {o} <span className="muted">(no such operator)</span>
                </label>
              ))}
            <FieldErrors issues={inputErrors} id={`${id}-inputs-err`} />
          </fieldset>
        )}
        {(KEYED.has(kind) || op.keyBy !== undefined) && (
          <TextField
            label="keyBy"
            path={[...base, 'keyBy']}
            doc={doc}
            issues={issues}
            edit={edit}
            placeholder="field"
          />
        )}
        {WINDOWED.has(kind) && (
          <TextField
            label="window"
            path={[...base, 'window']}
            doc={doc}
            issues={issues}
            edit={edit}
            placeholder="tumbling 15s"
            hint='"tumbling 15s" or "sliding 30s 10s"'
          />
        )}
        {kind === 'window' && (
          <SelectField
            label="aggregate"
            path={[...base, 'aggregate']}
            doc={doc}
            issues={issues}
            edit={edit}
            options={['count', 'sum', 'min', 'max', 'avg']}
          />
        )}
        {kind === 'sink' && (
          <SelectField
            label="delivery"
            path={[...base, 'delivery']}
            doc={doc}
            issues={issues}
            edit={edit}
            options={DELIVERIES}
            emptyLabel="default (at-least-once)"
          />
        )}
      </div>
      {extra.length > 0 && (
        <p className="muted small">
          Also set:{' '}
          {extra
            .map((k) => <code key={k}>{k}</code>)
            .reduce<ReactNode[]>((a, c, i) => (i === 0 ? [c] : [...a, ', ', c]), [])}{' '}
          — edit these in the JSON view.
        </p>
      )}
      {rest.length > 0 && (
        <ul className="field-error-list">
          {rest.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ConfigRow({
  spec,
  doc,
  issues,
  edit,
}: {
  spec: ConfigKeySpec;
  doc: JsonObject;
  issues: readonly ScenarioIssue[];
  edit: (e: Edit) => void;
}) {
  const id = useId();
  const entry = configEntry(doc, spec.key);
  const paths = [spec.key, ...spec.aliases].map((k) => formatPath(['config', k]));
  const errs = issues.filter((i) => paths.includes(i.path));
  const raw = entry === null ? '' : text(entry.value);
  const dflt = formatConfigValue(spec.key, spec.default);
  const set = (v: Json | undefined) => edit((d) => withConfig(d, spec.key, v));
  const common = {
    id,
    'aria-invalid': errs.length > 0,
    'aria-describedby': `${id}-desc`,
  };
  let input: ReactNode;
  if (spec.type === 'bool' || spec.type === 'enum') {
    const options = spec.type === 'bool' ? ['true', 'false'] : [...(spec.values ?? [])];
    const all = raw !== '' && !options.includes(raw) ? [raw, ...options] : options;
    input = (
      <select
        {...common}
        value={raw}
        onChange={(e) => {
          const t = e.target.value;
          set(t === '' ? undefined : spec.type === 'bool' ? t === 'true' : t);
        }}
      >
        <option value="">default ({dflt})</option>
        {all.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        {...common}
        type="text"
        value={raw}
        placeholder={dflt}
        inputMode={spec.type === 'int' || spec.type === 'double' ? 'decimal' : undefined}
        onChange={(e) => {
          const t = e.target.value;
          set(
            spec.type === 'int' || spec.type === 'double' ? numberOrText(t) : t.trim() === '' ? undefined : t,
          );
        }}
      />
    );
  }
  return (
    <div
      className={`cfg-row${entry !== null ? ' cfg-set' : ''}`}
      data-key={spec.key}
      data-path={formatPath(['config', spec.key])}
    >
      <label className="cfg-key" htmlFor={id}>
        <code>{spec.key}</code>
      </label>
      <div className="cfg-input">{input}</div>
      <p className="cfg-desc" id={`${id}-desc`}>
        {spec.description}{' '}
        <span className="muted">
          Default {dflt}. {spec.section.replace(/^reference/, 'flink-reference §')}.
        </span>
        {entry !== null && entry.key !== spec.key && (
          <span className="muted">
            {' '}
            Set here under its old name <code>{entry.key}</code>.
          </span>
        )}
      </p>
      <FieldErrors issues={errs} id={`${id}-err`} />
    </div>
  );
}

function ConfigSection({
  doc,
  issues,
  edit,
}: {
  doc: JsonObject;
  issues: readonly ScenarioIssue[];
  edit: (e: Edit) => void;
}) {
  const [filter, setFilter] = useState('');
  const [onlySet, setOnlySet] = useState(false);
  const f = filter.trim().toLowerCase();
  const setKeys = CONFIG_KEYS.filter((s) => configEntry(doc, s.key) !== null).length;
  const shown = CONFIG_KEYS.filter(
    (s) =>
      (!onlySet ||
        configEntry(doc, s.key) !== null ||
        issues.some((i) => i.path === formatPath(['config', s.key]))) &&
      (f === '' || s.key.toLowerCase().includes(f) || s.description.toLowerCase().includes(f)),
  );
  const known = new Set(
    CONFIG_KEYS.flatMap((s) => [s.key, ...s.aliases].map((k) => formatPath(['config', k]))),
  );
  const unknown = issues.filter((i) => i.path.startsWith('config[') && !known.has(i.path));
  return (
    <Section title="Flink configuration" count={`${setKeys} of ${CONFIG_KEYS.length} keys set`}>
      <div className="cfg-tools">
        <input
          type="search"
          aria-label="Filter configuration keys"
          placeholder="Filter keys, e.g. checkpointing"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={onlySet} onChange={(e) => setOnlySet(e.target.checked)} /> only keys
          set here
        </label>
      </div>
      {unknown.length > 0 && (
        <ul className="field-error-list">
          {unknown.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      <div className="cfg-list">
        {shown.map((s) => (
          <ConfigRow key={s.key} spec={s} doc={doc} issues={issues} edit={edit} />
        ))}
        {shown.length === 0 && <p className="muted small">No key matches.</p>}
      </div>
    </Section>
  );
}

function FaultsSection({
  doc,
  issues,
  edit,
}: {
  doc: JsonObject;
  issues: readonly ScenarioIssue[];
  edit: (e: Edit) => void;
}) {
  const topology = useLab((s) => s.topology);
  const faults = Array.isArray(doc.faults) ? doc.faults : [];
  const listId = useId();
  const targets = [
    ...(topology?.subtasks.map((s) => s.name) ?? []),
    ...(topology?.taskManagers.map((t) => t.name) ?? []),
    'checkpoint-storage',
  ];
  return (
    <Section title="Fault schedule" count={`${faults.length} fault${faults.length === 1 ? '' : 's'}`}>
      <datalist id={listId}>
        {targets.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      {faults.length === 0 && (
        <p className="muted small">No scheduled fault: the run is failure-free unless you inject one.</p>
      )}
      {faults.map((f, i) => {
        const base: Path = ['faults', i];
        const kind = isObject(f) ? text(f.kind) : '';
        return (
          <div className="fault-row" key={i} data-testid="editor-fault" data-path={formatPath(base)}>
            <div className="ef-grid">
              <TextField
                label="at"
                path={[...base, 'at']}
                doc={doc}
                issues={issues}
                edit={edit}
                placeholder="20 s"
              />
              <SelectField
                label="kind"
                path={[...base, 'kind']}
                doc={doc}
                issues={issues}
                edit={edit}
                options={FAULT_KINDS}
              />
              <TextField
                label="target"
                path={[...base, 'target']}
                doc={doc}
                issues={issues}
                edit={edit}
                list={listId}
              />
              {(kind === 'slow-task' || kind === 'stall-channel' || kind === 'kill-taskmanager') && (
                <TextField
                  label="duration"
                  path={[...base, 'duration']}
                  doc={doc}
                  issues={issues}
                  edit={edit}
                  placeholder="5 s"
                />
              )}
              {kind === 'slow-task' && (
                <TextField
                  label="factor"
                  path={[...base, 'factor']}
                  doc={doc}
                  issues={issues}
                  edit={edit}
                  numeric
                  placeholder="10"
                />
              )}
              {kind === 'fail-checkpoint-storage' && (
                <TextField
                  label="count"
                  path={[...base, 'count']}
                  doc={doc}
                  issues={issues}
                  edit={edit}
                  numeric
                  placeholder="1"
                />
              )}
            </div>
            <button
              type="button"
              className="link-button danger-link"
              aria-label={`Remove fault ${i + 1}`}
              onClick={() => edit((d) => setIn(d, ['faults', i], undefined))}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button
        type="button"
        onClick={() =>
          edit((d) =>
            setIn(d, ['faults', faults.length], {
              at: '20 s',
              kind: 'fail-task',
              target: targets[0] ?? 'tm-0',
            }),
          )
        }
      >
        Add fault
      </button>
    </Section>
  );
}

export function FormView({
  doc,
  issues,
  onChange,
}: {
  doc: JsonObject;
  issues: readonly ScenarioIssue[];
  onChange: (doc: JsonObject) => void;
}) {
  const [newKind, setNewKind] = useState<string>('map');
  /** Applies an edit (a function returning the changed copy of the document). */
  const edit = (e: Edit) => onChange(e(doc));
  const ops = operatorsOf(doc);
  const ids = ops.map((o) => text(o.id)).filter((x) => x !== '');
  const topics = isObject(doc.topics) ? Object.keys(doc.topics) : [];
  const keyField = ops.map((o) => o.keyBy).find((k): k is string => typeof k === 'string') ?? 'page';
  const addOperator = () => {
    let n = 1;
    while (ids.includes(`${newKind}${n}`)) n++;
    const last = ids[ids.length - 1] ?? null;
    const list = Array.isArray(getIn(doc, ['job', 'operators']))
      ? (getIn(doc, ['job', 'operators']) as Json[])
      : [];
    edit((d) =>
      setIn(d, ['job', 'operators', list.length], template(newKind, `${newKind}${n}`, last, keyField)),
    );
  };
  const top = issues.filter(
    (i) =>
      i.path === '' ||
      i.path === 'version' ||
      i.path === 'topics' ||
      i.path.startsWith('topics') ||
      i.path.startsWith('sim') ||
      i.path === 'job',
  );
  return (
    <div className="form-view" data-testid="editor-form">
      {top.length > 0 && (
        <ul className="field-error-list">
          {top.map((e, i) => (
            <li key={i}>
              <code>{e.path || '(document)'}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      <Section title="Scenario">
        <div className="ef-grid">
          <TextField label="name" path={['name']} doc={doc} issues={issues} edit={edit} wide />
          <TextField
            label="seed"
            path={['seed']}
            doc={doc}
            issues={issues}
            edit={edit}
            numeric
            placeholder="0"
          />
          <TextField label="description" path={['description']} doc={doc} issues={issues} edit={edit} wide />
        </div>
      </Section>
      <Section title="Cluster">
        <div className="ef-grid">
          <TextField
            label="TaskManagers"
            path={['cluster', 'taskManagers']}
            doc={doc}
            issues={issues}
            edit={edit}
            numeric
            placeholder="1"
          />
          <TextField
            label="slots per TaskManager"
            path={['cluster', 'slotsPerTaskManager']}
            doc={doc}
            issues={issues}
            edit={edit}
            numeric
            placeholder="1"
          />
        </div>
      </Section>
      <Section title="Operators" count={`${ops.length} operator${ops.length === 1 ? '' : 's'}`}>
        {ops.map((op, i) => (
          <OperatorCard
            key={i}
            op={op}
            index={i}
            ids={ids}
            topics={topics}
            doc={doc}
            issues={issues}
            edit={edit}
          />
        ))}
        <div className="add-row">
          <label className="ef">
            <span className="ef-label">new operator</span>
            <select
              value={newKind}
              onChange={(e) => setNewKind(e.target.value)}
              aria-label="Kind of the new operator"
            >
              {OPERATOR_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={addOperator}>
            Add operator
          </button>
        </div>
      </Section>
      <ConfigSection doc={doc} issues={issues} edit={edit} />
      <FaultsSection doc={doc} issues={issues} edit={edit} />
    </div>
  );
}
