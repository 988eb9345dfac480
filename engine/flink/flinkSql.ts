/**
 * A scenario's job as a Flink SQL script (Flink 1.20 dialect): one Kafka `CREATE TABLE` per input topic (with the
 * source's event-time column and watermark), one temporary view per operator, one Kafka (or upsert-kafka) table per
 * sink, and the `INSERT INTO`s (in a statement set when there are several sinks). Windows become window table-valued
 * functions (TUMBLE / HOP) grouped by window_start, window_end and the key, as Flink's docs write them; a rolling
 * keyed reduce becomes a GROUP BY (an updating result: its sink is upsert-kafka). Operators SQL cannot express (the
 * keyed process function) are left to the DataStream skeleton (./javaSkeleton.ts); the script says so where they
 * would be. Connection options the user must fill in are marked `<fill in: ...>`.
 */
import type {
  FieldValue,
  Generator,
  OperatorSpec,
  Predicate,
  Scenario,
  SinkOp,
  SourceOp,
  Topic,
  WindowOp,
} from '../scenario/types.ts';

export type SqlType = 'STRING' | 'INT' | 'BIGINT' | 'DOUBLE' | 'TIMESTAMP(3)';
export interface Column {
  name: string;
  type: SqlType;
}

/** What flows out of an operator, as SQL sees it. */
interface Relation {
  /** Table or view name holding the operator's output. */
  name: string;
  columns: Column[];
  /** The relation has the event-time attribute `event_time` (window TVFs need it). */
  timeAttribute: boolean;
  /** Produced by a GROUP BY without windows: an updating (changelog) result. */
  updating: boolean;
  /** Key columns of an updating or windowed result (the upsert sink's primary key). */
  primaryKey: string[];
}

export const EVENT_TIME = 'event_time';
export const FILL_IN_SERVERS = '<fill in: kafka-broker:9092>';

/** A Flink SQL identifier in backticks (a backtick inside is doubled). */
export function ident(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** A Flink SQL string literal (a quote inside is doubled). */
export function literal(value: FieldValue): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  return "'" + value.replace(/'/g, "''") + "'";
}

/** Milliseconds as a SQL interval in seconds ("INTERVAL '0.2' SECOND"), the form Flink's docs use. */
export function interval(ms: number): string {
  const s = ms / 1000;
  return `INTERVAL '${Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, '')}' SECOND`;
}

function generatorColumns(g: Generator, timestampField: string): Column[] {
  switch (g.kind) {
    case 'clicks':
      return [
        { name: timestampField, type: 'BIGINT' },
        { name: 'page', type: 'STRING' },
        ...(g.users > 0 ? [{ name: 'user', type: 'STRING' } as Column] : []),
      ];
    case 'keyed':
      return [
        { name: 'key', type: g.keyType === 'string' ? 'STRING' : g.keyType === 'int' ? 'INT' : 'BIGINT' },
        { name: 'value', type: 'BIGINT' },
        { name: timestampField, type: 'BIGINT' },
      ];
    case 'text':
      return [
        { name: 'line', type: 'STRING' },
        { name: timestampField, type: 'BIGINT' },
      ];
  }
}

function typeOfValue(v: FieldValue): SqlType {
  if (typeof v === 'string') return 'STRING';
  return Number.isInteger(v) ? 'BIGINT' : 'DOUBLE';
}

function col(columns: readonly Column[], name: string): Column | undefined {
  return columns.find((c) => c.name === name);
}

/** The SELECT list that keeps every column (by name, so views stay explicit about what they carry). */
function all(columns: readonly Column[], except: ReadonlySet<string> = new Set()): string[] {
  return columns.filter((c) => !except.has(c.name)).map((c) => ident(c.name));
}

function predicate(p: Predicate): string {
  const f = ident(p.field);
  const v = p.value;
  const one = (x: FieldValue | FieldValue[]) => (Array.isArray(x) ? literal(x[0] ?? '') : literal(x));
  const list = (x: FieldValue | FieldValue[]) => (Array.isArray(x) ? x : [x]).map(literal).join(', ');
  switch (p.op) {
    case 'eq':
      return `${f} = ${one(v)}`;
    case 'ne':
      return `${f} <> ${one(v)}`;
    case 'lt':
      return `${f} < ${one(v)}`;
    case 'lte':
      return `${f} <= ${one(v)}`;
    case 'gt':
      return `${f} > ${one(v)}`;
    case 'gte':
      return `${f} >= ${one(v)}`;
    case 'in':
      return `${f} IN (${list(v)})`;
    case 'notIn':
      return `${f} NOT IN (${list(v)})`;
    case 'startsWith':
      return `${f} LIKE ${literal(String(one(v)).slice(1, -1).replace(/''/g, "'") + '%')}`;
    case 'mod': {
      const [d, r] = Array.isArray(v) ? v : [v, 0];
      return `MOD(${f}, ${literal(d ?? 1)}) = ${literal(r ?? 0)}`;
    }
  }
}

const AGG_TYPE = (agg: WindowOp['aggregate'], field: Column | undefined): SqlType =>
  agg === 'count' ? 'BIGINT' : agg === 'avg' ? 'DOUBLE' : (field?.type ?? 'BIGINT');

function aggregateExpr(agg: WindowOp['aggregate'], field: string | null): string {
  if (agg === 'count' || field === null) return 'COUNT(*)';
  if (agg === 'avg') return `AVG(CAST(${ident(field)} AS DOUBLE))`;
  return `${agg.toUpperCase()}(${ident(field)})`;
}

export interface SqlScript {
  text: string;
  /** Operators left to the DataStream skeleton (keyed process functions and everything downstream of them). */
  dataStreamOperators: string[];
  /** User-defined functions the script registers (their Java source goes with the export). */
  functions: { name: string; className: string }[];
  /** Sinks written by the script. */
  sqlSinks: string[];
}

interface Ctx {
  scenario: Scenario;
  relations: Map<string, Relation>;
  used: Set<string>;
  out: string[];
  inserts: string[];
  functions: SqlScript['functions'];
}

function uniqueName(ctx: Ctx, wanted: string): string {
  let name = wanted;
  for (let i = 2; ctx.used.has(name.toLowerCase()); i++) name = `${wanted}_${i}`;
  ctx.used.add(name.toLowerCase());
  return name;
}

function kafkaOptions(topic: string, extra: [string, string][]): string {
  const opts: [string, string][] = [
    ['connector', 'kafka'],
    ['topic', topic],
    ['properties.bootstrap.servers', FILL_IN_SERVERS],
    ...extra,
  ];
  return opts.map(([k, v]) => `  ${literal(k)} = ${literal(v)}`).join(',\n');
}

function sourceTable(ctx: Ctx, op: SourceOp, topic: Topic): Relation {
  const g = topic.generator;
  const columns = g === null ? [] : generatorColumns(g, op.timestampField);
  const name = uniqueName(ctx, topic.name);
  const ooMs = Math.round(op.outOfOrdernessUs / 1000);
  const lines = [
    ...columns.map((c) => `  ${ident(c.name)} ${c.type}`),
    `  ${ident(EVENT_TIME)} AS TO_TIMESTAMP_LTZ(${ident(op.timestampField)}, 3)`,
    `  WATERMARK FOR ${ident(EVENT_TIME)} AS ${ident(EVENT_TIME)} - ${interval(ooMs)}`,
  ];
  const generatorNote =
    g === null
      ? 'an output topic'
      : `records like the simulator's "${g.kind}" generator (${g.ratePerSecond}/s)`;
  ctx.out.push(
    `-- Source "${op.id}" reads topic "${topic.name}" (${topic.partitions} partitions): ${generatorNote}.`,
    `-- Watermarks: bounded out-of-orderness of ${ooMs} ms on ${EVENT_TIME} (epoch milliseconds in "${op.timestampField}").`,
    `CREATE TABLE ${ident(name)} (`,
    lines.join(',\n'),
    ') WITH (',
    kafkaOptions(topic.name, [
      ['properties.group.id', `${ctx.scenario.jobName}-${op.id}`],
      ['scan.startup.mode', op.startingOffsets === 'latest' ? 'latest-offset' : 'earliest-offset'],
      ['format', 'json'],
    ]),
    ');',
    '',
  );
  return {
    name,
    columns: [...columns, { name: EVENT_TIME, type: 'TIMESTAMP(3)' }],
    timeAttribute: true,
    updating: false,
    primaryKey: [],
  };
}

function view(
  ctx: Ctx,
  op: OperatorSpec,
  comment: string,
  select: string,
  rel: Omit<Relation, 'name'>,
): Relation {
  const name = uniqueName(ctx, op.id);
  ctx.out.push(`-- ${comment}`, `CREATE TEMPORARY VIEW ${ident(name)} AS`, select + ';', '');
  return { ...rel, name };
}

function input(ctx: Ctx, op: OperatorSpec, i = 0): Relation | undefined {
  const id = op.inputs[i];
  return id === undefined ? undefined : ctx.relations.get(id);
}

/** The view for one operator, or null when SQL cannot express it. */
function operatorView(ctx: Ctx, op: OperatorSpec): Relation | null {
  const from = input(ctx, op);
  if (from === undefined) return null;
  const cols = from.columns;
  const par = `parallelism ${op.parallelism} in the simulator`;
  switch (op.kind) {
    case 'map': {
      const fn = op.fn;
      let select: string[];
      let columns: Column[] = cols;
      let what: string;
      switch (fn.type) {
        case 'identity':
          select = all(cols);
          what = 'identity';
          break;
        case 'project': {
          columns = cols.filter((c) => fn.fields.includes(c.name) || c.name === EVENT_TIME);
          select = all(columns);
          what = `keeps ${fn.fields.join(', ')}`;
          break;
        }
        case 'set':
          columns = [
            ...cols.filter((c) => c.name !== fn.field),
            { name: fn.field, type: typeOfValue(fn.value) },
          ];
          select = [...all(cols, new Set([fn.field])), `${literal(fn.value)} AS ${ident(fn.field)}`];
          what = `sets ${fn.field}`;
          break;
        case 'upper':
        case 'lower':
          select = cols.map((c) =>
            c.name === fn.field
              ? `${fn.type.toUpperCase()}(${ident(c.name)}) AS ${ident(c.name)}`
              : ident(c.name),
          );
          what = `${fn.type}-cases ${fn.field}`;
          break;
        case 'length':
          columns = [...cols.filter((c) => c.name !== fn.into), { name: fn.into, type: 'INT' }];
          select = [
            ...all(cols, new Set([fn.into])),
            col(cols, fn.field)?.type === 'STRING'
              ? `CHAR_LENGTH(${ident(fn.field)}) AS ${ident(fn.into)}`
              : `CHAR_LENGTH(CAST(${ident(fn.field)} AS STRING)) AS ${ident(fn.into)}`,
          ];
          what = `length of ${fn.field}`;
          break;
        case 'modulo':
          columns = [...cols.filter((c) => c.name !== fn.into), { name: fn.into, type: 'BIGINT' }];
          select = [
            ...all(cols, new Set([fn.into])),
            `MOD(${ident(fn.field)}, ${fn.by}) AS ${ident(fn.into)}`,
          ];
          what = `${fn.field} modulo ${fn.by} (the simulator's result is never negative; MOD keeps the sign)`;
          break;
      }
      return view(
        ctx,
        op,
        `map "${op.id}": ${what} (${par})`,
        `SELECT ${select.join(', ')}\nFROM ${ident(from.name)}`,
        {
          ...from,
          columns,
        },
      );
    }
    case 'filter':
      return view(
        ctx,
        op,
        `filter "${op.id}" (${par})`,
        `SELECT ${all(cols).join(', ')}\nFROM ${ident(from.name)}\nWHERE ${predicate(op.where)}`,
        from,
      );
    case 'flatMap': {
      const fn = op.fn;
      if (fn.type === 'repeat') {
        const values = Array.from({ length: fn.times }, (_, i) => `(${i + 1})`).join(', ');
        return view(
          ctx,
          op,
          `flatMap "${op.id}": every record ${fn.times} times (${par}); a regular join: ${EVENT_TIME} is no longer a time attribute after it`,
          `SELECT ${cols.map((c) => `r.${ident(c.name)}`).join(', ')}\nFROM ${ident(from.name)} AS r\nCROSS JOIN (VALUES ${values}) AS copies(n)`,
          { ...from, timeAttribute: false },
        );
      }
      if (!ctx.functions.some((f) => f.name === 'SplitWords'))
        ctx.functions.push({ name: 'SplitWords', className: 'checkpointlab.SplitWords' });
      const columns = [
        ...cols.filter((c) => c.name !== fn.field && c.name !== fn.into),
        { name: fn.into, type: 'STRING' as const },
      ];
      return view(
        ctx,
        op,
        `flatMap "${op.id}": splits ${fn.field} at ${JSON.stringify(fn.separator)} into ${fn.into}, one row per non-empty part (${par})`,
        `SELECT ${[...all(cols, new Set([fn.field, fn.into])).map((c) => `r.${c}`), `parts.${ident(fn.into)}`].join(', ')}\nFROM ${ident(from.name)} AS r,\n  LATERAL TABLE(SplitWords(r.${ident(fn.field)}, ${literal(fn.separator)})) AS parts(${ident(fn.into)})`,
        { ...from, columns },
      );
    }
    case 'union': {
      const inputs = op.inputs.map((id) => ctx.relations.get(id));
      if (inputs.some((r) => r === undefined)) return null;
      const rels = inputs as Relation[];
      const columns = rels[0]?.columns ?? [];
      const selects = rels.map((r) => `SELECT ${all(columns).join(', ')} FROM ${ident(r.name)}`);
      return view(
        ctx,
        op,
        `union "${op.id}" of ${op.inputs.join(', ')} (${par})`,
        selects.join('\nUNION ALL\n'),
        {
          ...from,
          timeAttribute: rels.every((r) => r.timeAttribute),
          updating: rels.some((r) => r.updating),
        },
      );
    }
    case 'reduce': {
      const key = op.keyBy ?? '';
      const keyCol = col(cols, key) ?? { name: key, type: 'STRING' as const };
      const resultName = op.aggregate === 'count' ? 'count' : (op.field ?? op.aggregate);
      const fieldCol = op.field === null ? undefined : col(cols, op.field);
      return view(
        ctx,
        op,
        `reduce "${op.id}": rolling ${op.aggregate} per ${key} (ReducingState in the simulator; here an updating GROUP BY, ${par})`,
        `SELECT ${ident(key)}, ${aggregateExpr(op.aggregate, op.field)} AS ${ident(resultName)}\nFROM ${ident(from.name)}\nGROUP BY ${ident(key)}`,
        {
          columns: [keyCol, { name: resultName, type: AGG_TYPE(op.aggregate, fieldCol) }],
          timeAttribute: false,
          updating: true,
          primaryKey: [key],
        },
      );
    }
    case 'window': {
      if (!from.timeAttribute || from.updating) return null;
      const key = op.keyBy ?? '';
      const keyCol = col(cols, key) ?? { name: key, type: 'STRING' as const };
      const w = op.window;
      const tvf =
        w.type === 'tumbling'
          ? `TUMBLE(TABLE ${ident(from.name)}, DESCRIPTOR(${ident(EVENT_TIME)}), ${interval(w.sizeMs)}${w.offsetMs !== 0 ? `, ${interval(w.offsetMs)}` : ''})`
          : `HOP(TABLE ${ident(from.name)}, DESCRIPTOR(${ident(EVENT_TIME)}), ${interval(w.slideMs)}, ${interval(w.sizeMs)}${w.offsetMs !== 0 ? `, ${interval(w.offsetMs)}` : ''})`;
      const resultName = op.aggregate;
      const fieldCol = op.field === null ? undefined : col(cols, op.field);
      const lateness =
        op.allowedLatenessUs > 0
          ? `; allowed lateness ${op.allowedLatenessUs / 1000} ms has no window-TVF equivalent (late rows are dropped)`
          : '';
      const size =
        w.type === 'tumbling' ? `tumbling ${w.sizeMs} ms` : `sliding ${w.sizeMs} ms every ${w.slideMs} ms`;
      return view(
        ctx,
        op,
        `window "${op.id}": ${op.aggregate} per ${key} in ${size} event-time windows (${par}${lateness})`,
        [
          `SELECT ${ident(key)}, window_start AS ${ident('windowStart')}, window_end AS ${ident('windowEnd')},`,
          `  ${aggregateExpr(op.aggregate, op.field)} AS ${ident(resultName)}`,
          `FROM TABLE(${tvf})`,
          `GROUP BY window_start, window_end, ${ident(key)}`,
        ].join('\n'),
        {
          columns: [
            keyCol,
            { name: 'windowStart', type: 'TIMESTAMP(3)' },
            { name: 'windowEnd', type: 'TIMESTAMP(3)' },
            { name: resultName, type: AGG_TYPE(op.aggregate, fieldCol) },
          ],
          timeAttribute: false,
          updating: false,
          primaryKey: [key, 'windowStart', 'windowEnd'],
        },
      );
    }
    case 'source':
    case 'sink':
    case 'keyedProcess':
      return null;
  }
}

function sinkTable(ctx: Ctx, op: SinkOp, from: Relation): void {
  const upsert = from.updating || (op.delivery === 'idempotent' && from.primaryKey.length > 0);
  const name = uniqueName(ctx, op.topic);
  const columns = from.columns.filter((c) => c.name !== EVENT_TIME);
  const lines = columns.map((c) => `  ${ident(c.name)} ${c.type}`);
  if (upsert) lines.push(`  PRIMARY KEY (${from.primaryKey.map(ident).join(', ')}) NOT ENFORCED`);
  const delivery: [string, string][] = upsert
    ? []
    : op.delivery === 'exactly-once'
      ? [
          ['sink.delivery-guarantee', 'exactly-once'],
          ['sink.transactional-id-prefix', `${ctx.scenario.jobName}-${op.id}`],
        ]
      : [['sink.delivery-guarantee', 'at-least-once']];
  const how = upsert
    ? `upsert-kafka: ${from.updating ? 'the result is updating (a rolling aggregate)' : 'idempotent writes'}, keyed by ${from.primaryKey.join(', ')}`
    : op.delivery === 'exactly-once'
      ? 'exactly-once: Kafka transactions committed on checkpoint completion (read with isolation.level=read_committed)'
      : 'at-least-once: after a failure, records since the last checkpoint are written again';
  ctx.out.push(
    `-- Sink "${op.id}" writes topic "${op.topic}" (${how}; parallelism ${op.parallelism}).`,
    `CREATE TABLE ${ident(name)} (`,
    lines.join(',\n'),
    ') WITH (',
    upsert
      ? [
          ['connector', 'upsert-kafka'],
          ['topic', op.topic],
          ['properties.bootstrap.servers', FILL_IN_SERVERS],
          ['key.format', 'json'],
          ['value.format', 'json'],
          ['sink.parallelism', String(op.parallelism)],
        ]
          .map(([k, v]) => `  ${literal(k ?? '')} = ${literal(v ?? '')}`)
          .join(',\n')
      : kafkaOptions(op.topic, [
          ['format', 'json'],
          ...delivery,
          ['sink.parallelism', String(op.parallelism)],
        ]),
    ');',
    '',
  );
  ctx.inserts.push(
    `INSERT INTO ${ident(name)}\nSELECT ${all(columns).join(', ')}\nFROM ${ident(from.name)};`,
  );
}

export function flinkSqlScript(scenario: Scenario): SqlScript {
  const ctx: Ctx = {
    scenario,
    relations: new Map(),
    used: new Set(),
    out: [],
    inserts: [],
    functions: [],
  };
  const dataStream: string[] = [];
  const sqlSinks: string[] = [];
  const body: string[] = [];
  for (const op of scenario.operators) {
    if (op.kind === 'source') {
      const topic = scenario.topics.find((t) => t.name === op.topic);
      if (topic === undefined) continue;
      const existing = [...ctx.relations.entries()].find(([id]) => {
        const other = scenario.operators.find((o) => o.id === id);
        return other?.kind === 'source' && other.topic === op.topic;
      });
      ctx.relations.set(op.id, existing?.[1] ?? sourceTable(ctx, op, topic));
      continue;
    }
    if (op.kind === 'sink') {
      const from = input(ctx, op);
      if (from === undefined) {
        dataStream.push(op.id);
        continue;
      }
      sinkTable(ctx, op, from);
      sqlSinks.push(op.id);
      continue;
    }
    const rel = op.inputs.every((id) => ctx.relations.has(id)) ? operatorView(ctx, op) : null;
    if (rel === null) {
      dataStream.push(op.id);
      const why =
        op.kind === 'keyedProcess'
          ? `a KeyedProcessFunction ("${op.fn}": ValueState, MapState, ListState, ReducingState, AggregatingState and event-time timers) has no SQL form`
          : op.inputs.some((id) => !ctx.relations.has(id))
            ? `it reads ${op.inputs.filter((id) => !ctx.relations.has(id)).join(', ')}, which runs in the DataStream job`
            : 'its input has no event-time attribute here';
      ctx.out.push(
        `-- Operator "${op.id}" (${op.kind}) is not in this script: ${why}.`,
        '--   See the DataStream skeleton exported with it.',
        '',
      );
      continue;
    }
    ctx.relations.set(op.id, rel);
  }
  for (const f of ctx.functions)
    body.push(
      `-- ${f.name}: a table function (its Java source, ${f.className.replace('.', '/')}.java, comes with this export).`,
      `CREATE TEMPORARY SYSTEM FUNCTION ${f.name} AS ${literal(f.className)};`,
      '',
    );
  const head = [
    `-- Flink SQL for "${scenario.name}" (job "${scenario.jobName}"), exported by Checkpoint Lab for Flink 1.20.`,
    '-- Run it with the SQL client: ./bin/sql-client.sh -f job.sql, with the exported config.yaml in conf/',
    '-- (checkpointing, state backend, storage, restart strategy and parallelism live there).',
    '-- Needs the Kafka SQL connector jar (flink-sql-connector-kafka) in lib/. Fill in every <fill in: ...>.',
    '',
    `SET ${literal('pipeline.name')} = ${literal(scenario.jobName)};`,
    '',
  ];
  const inserts =
    ctx.inserts.length === 0
      ? ['-- No sink is expressible in SQL: the whole job is in the DataStream skeleton.']
      : ctx.inserts.length === 1
        ? ctx.inserts
        : ['EXECUTE STATEMENT SET', 'BEGIN', ...ctx.inserts, 'END;'];
  // A ";" ends a statement for the SQL client's splitter (and dt-sql-parser's), even inside a "--" comment.
  const lines = [...head, ...body, ...ctx.out, ...inserts].map((l) =>
    l.startsWith('--') ? l.replace(/;/g, ',') : l,
  );
  return {
    text: lines.join('\n') + '\n',
    dataStreamOperators: dataStream,
    functions: ctx.functions,
    sqlSinks,
  };
}
