/**
 * The zod schema of the RAW scenario JSON, format version 1 (DESIGN: The scenario). Objects are strict: an unknown
 * key is an error, never silently dropped. Field values are parsed here (durations to µs, window strings to
 * WindowSpec, memory sizes to bytes); defaults and cross-field rules live in ./validate.ts.
 *
 * `scenarioErrorMap` turns zod issues into messages that say what is wrong and what would be valid.
 */
import { z } from 'zod';
import {
  DURATION_FORMS,
  DurationError,
  MEMORY_FORMS,
  MemorySizeError,
  parseDuration,
  parseMemorySize,
} from './duration.ts';
import { UPPER_BOUND_MAX_PARALLELISM } from './config.ts';
import { formatDuration } from './duration.ts';
import { LIMITS, formatCount, isReservedName, reservedNameMessage } from './limits.ts';
import { didYouMean, quoteList, show, showKind } from './suggest.ts';
import { WindowError, parseWindow } from './windowSpec.ts';
import type { FieldValue } from './types.ts';

export const SCENARIO_VERSION = 1;

/** Operator ids: a letter, then letters, digits, "_" or "-". */
export const OPERATOR_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Kafka's legal topic names. */
export const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

const TOPIC_NAME_HINT = 'topic names use letters, digits, ".", "_" and "-" (at most 249 characters)';
const topicName = unreserved(z.string().regex(TOPIC_NAME, { error: TOPIC_NAME_HINT }), 'a topic name');

// ---------------------------------------------------------------------------------------------------------------
// Field helpers

type DurationOptions = {
  positive?: boolean;
  wholeMs?: boolean;
  description?: string;
  /** Upper bound in µs (default LIMITS.maxDurationUs) and what it protects, for the message. */
  max?: number;
  maxWhy?: string;
};

/** A Flink duration (string or JSON number of ms) parsed to integer µs. */
function duration(options: DurationOptions = {}) {
  const schema = z.unknown().transform((value, ctx): number => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `missing required duration; expected ${DURATION_FORMS}` });
      return z.NEVER;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      ctx.addIssue({ code: 'custom', message: `expected ${DURATION_FORMS}, got ${show(value)}` });
      return z.NEVER;
    }
    let us: number;
    try {
      us = parseDuration(value);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof DurationError ? e.message : String(e) });
      return z.NEVER;
    }
    if (options.positive === true && us <= 0) {
      ctx.addIssue({ code: 'custom', message: `must be greater than 0, got ${show(value)}` });
      return z.NEVER;
    }
    const max = options.max ?? LIMITS.maxDurationUs;
    if (us > max) {
      const why = options.maxWhy ?? 'the longest duration the simulator accepts';
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${formatDuration(max)} (${why}), got ${show(value)}`,
      });
      return z.NEVER;
    }
    if (options.wholeMs === true && us % 1000 !== 0) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number of milliseconds, got ${show(value)}` });
      return z.NEVER;
    }
    return us;
  });
  return options.description === undefined ? schema : schema.describe(options.description);
}

/** A data rate like "100 mb" or "100 mb/s" (per second), normalized to bytes per µs (fractional). */
const bytesPerSecond = z.unknown().transform((value, ctx): number => {
  const text = typeof value === 'string' ? value.replace(/\s*\/\s*s(ec(ond)?)?\s*$/iu, '') : value;
  if (typeof text !== 'string' && typeof text !== 'number') {
    ctx.addIssue({
      code: 'custom',
      message: `expected a rate like "100 mb" (per second), got ${show(value)}`,
    });
    return z.NEVER;
  }
  let bytes: number;
  try {
    bytes = parseMemorySize(text);
  } catch (e) {
    const detail = e instanceof MemorySizeError ? e.message : `expected ${MEMORY_FORMS}`;
    ctx.addIssue({ code: 'custom', message: `${detail} (a rate per second, e.g. "100 mb")` });
    return z.NEVER;
  }
  if (bytes < 1024) {
    ctx.addIssue({
      code: 'custom',
      message: `must be at least 1 kb per second (slower uploads would outlast any run), got ${show(value)}`,
    });
    return z.NEVER;
  }
  return bytes / 1_000_000;
});

/** An operator's `input`: one id or a non-empty list of ids, normalized to a list. */
const inputList = z.unknown().transform((value, ctx): string[] => {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    ctx.addIssue({
      code: 'custom',
      message: `expected an operator id or a non-empty list of ids, like "clicks" or ["a", "b"], got ${show(value)}`,
    });
    return z.NEVER;
  }
  return [...(list as string[])];
});

const fieldValue = z.unknown().transform((value, ctx): FieldValue | FieldValue[] => {
  const scalar = (v: unknown): v is FieldValue =>
    typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  if (scalar(value)) return value;
  if (Array.isArray(value) && value.every(scalar)) return [...value];
  ctx.addIssue({
    code: 'custom',
    message: `expected a string, a number or a list of them, got ${show(value)}`,
  });
  return z.NEVER;
});

const windowString = z
  .string()
  .describe('the window, e.g. "tumbling 15s" or "sliding 30s 10s"')
  .transform((text, ctx) => {
    try {
      return parseWindow(text);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof WindowError ? e.message : String(e) });
      return z.NEVER;
    }
  });

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
/** Records per virtual second of a topic, within LIMITS (a rate of 1e-300 would put records past any time). */
const rate = z.number().refine((n) => n >= LIMITS.minRatePerSecond && n <= LIMITS.maxRatePerSecond, {
  error: (issue) =>
    `must be between ${LIMITS.minRatePerSecond} and ${formatCount(LIMITS.maxRatePerSecond)} records per ` +
    `second (the rates the simulator runs at an interactive pace), got ${show(issue.input)}`,
});
const count = int(0).nullable();
/** A generator's number of distinct keys: each key's name is built when the topic is created. */
const generatorKeys = (min: number) =>
  z
    .number()
    .int()
    .min(min)
    .refine((n) => n <= LIMITS.generatorKeys, {
      error: (issue) =>
        `must be at most ${formatCount(LIMITS.generatorKeys)} (the simulator's limit on distinct keys of a ` +
        `generator), got ${show(issue.input)}`,
    });

/** A string that must not be one of Object.prototype's names (see ./limits.ts). */
function unreserved(schema: z.ZodString, usedAs: string): z.ZodString {
  return schema.refine((v) => !isReservedName(v), {
    error: (issue) => reservedNameMessage(String(issue.input), usedAs),
  });
}
/** A record field name: not empty, not a prototype name. */
const fieldName = () => unreserved(z.string().min(1), 'a field name');
const field = (description: string) => fieldName().describe(description);
/** A processing cost per record (costPerRecord, sim.recordCost). */
const recordCost = () =>
  duration({ max: LIMITS.maxRecordCostUs, maxWhy: "the simulator's limit on the cost of one record" });
const keyType = z.enum(['string', 'int', 'long']);

// ---------------------------------------------------------------------------------------------------------------
// Generators (defaults documented in ./types.ts)

const clicksGenerator = z.strictObject({
  kind: z.literal('clicks'),
  pages: z.array(z.string().min(1)).min(1).optional(),
  eventsPerWindow: int(1, 1_000_000_000).optional(),
  windowSize: duration({ positive: true, wholeMs: true }).optional(),
  ratePerSecond: rate.optional(),
  users: generatorKeys(0).optional(),
  count: count.optional(),
});
const keyedGenerator = z.strictObject({
  kind: z.literal('keyed'),
  keys: generatorKeys(1).optional(),
  keyType: keyType.optional(),
  keyPrefix: z.string().optional(),
  distribution: z.enum(['round-robin', 'uniform']).optional(),
  ratePerSecond: rate.optional(),
  eventTimeStep: duration({
    max: 3_600_000_000,
    maxWhy: 'event time may advance at most 1 h per record',
  }).optional(),
  maxOutOfOrderness: duration().optional(),
  valueMin: int(-1_000_000_000_000, 1_000_000_000_000).optional(),
  valueMax: int(-1_000_000_000_000, 1_000_000_000_000).optional(),
  count: count.optional(),
});
const textGenerator = z.strictObject({
  kind: z.literal('text'),
  words: z
    .array(z.string().regex(/^\S+$/, { error: 'words must be non-empty and contain no whitespace' }))
    .min(1)
    .optional(),
  wordsPerLine: int(1, 1000).optional(),
  ratePerSecond: rate.optional(),
  count: count.optional(),
});
export const generatorSchema = z.discriminatedUnion('kind', [clicksGenerator, keyedGenerator, textGenerator]);

const topicSchema = z.strictObject({
  partitions: int(1, 1024).optional(),
  generator: generatorSchema.describe('the topic\'s record generator, e.g. { "kind": "clicks" }'),
});

// ---------------------------------------------------------------------------------------------------------------
// Operator functions

const mapFn = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('identity') }),
  z.strictObject({ type: z.literal('project'), fields: z.array(fieldName()).min(1) }),
  z.strictObject({
    type: z.literal('set'),
    field: field('the field to set'),
    value: z.union([z.string(), z.number()]),
  }),
  z.strictObject({ type: z.literal('upper'), field: field('the field to upper-case') }),
  z.strictObject({ type: z.literal('lower'), field: field('the field to lower-case') }),
  z.strictObject({
    type: z.literal('length'),
    field: field('the field to measure'),
    into: field('the field that receives the length'),
  }),
  z.strictObject({
    type: z.literal('modulo'),
    field: field('the numeric field'),
    by: int(1),
    into: field('the field that receives the result'),
  }),
]);
const flatMapFn = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('split'),
    field: field('the field to split'),
    separator: z.string().min(1).optional(),
    into: fieldName().optional(),
  }),
  z.strictObject({ type: z.literal('repeat'), times: int(1, 1000) }),
]);
const predicate = z.strictObject({
  field: field('the field the predicate tests'),
  op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'startsWith', 'mod']),
  value: fieldValue.describe(
    'the value to compare with (a list for in / notIn, [divisor, remainder] for mod)',
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// Operators

const common = {
  id: unreserved(
    z.string().regex(OPERATOR_ID, {
      error: 'operator ids start with a letter and contain only letters, digits, "_" and "-"',
    }),
    'an operator id',
  ).describe('the operator id (letters, digits, "_" and "-")'),
  name: z.string().min(1).optional(),
  parallelism: int(1, UPPER_BOUND_MAX_PARALLELISM).optional(),
  maxParallelism: int(1, UPPER_BOUND_MAX_PARALLELISM).optional(),
  input: inputList.optional(),
  partitioner: z.enum(['forward', 'rebalance', 'broadcast']).optional(),
  keyBy: fieldName().optional(),
  keyType: keyType.optional(),
  costPerRecord: recordCost().optional(),
  chaining: z.enum(['default', 'never', 'start-new-chain']).optional(),
};
const keyBy = fieldName().describe('the field to key by; this operator works on a KeyedStream');

const sourceOp = z.strictObject({
  ...common,
  kind: z.literal('source'),
  topic: unreserved(z.string().min(1), 'a topic name').describe('the input topic the source reads'),
  timestampField: fieldName().optional(),
  watermarks: z
    .strictObject({
      outOfOrderness: duration().optional(),
      idleness: duration({ positive: true }).optional(),
    })
    .optional(),
  maxBatch: int(1, 65536).optional(),
  startingOffsets: z.enum(['earliest', 'latest']).optional(),
});
const mapOp = z.strictObject({ ...common, kind: z.literal('map'), fn: mapFn.describe('the map function') });
const filterOp = z.strictObject({
  ...common,
  kind: z.literal('filter'),
  where: predicate.describe('the predicate, e.g. { "field": "word", "op": "ne", "value": "the" }'),
});
const flatMapOp = z.strictObject({
  ...common,
  kind: z.literal('flatMap'),
  fn: flatMapFn.describe('the flatMap function'),
});
const unionOp = z.strictObject({ ...common, kind: z.literal('union') });
const reduceOp = z.strictObject({
  ...common,
  kind: z.literal('reduce'),
  keyBy,
  aggregate: z.enum(['sum', 'count', 'min', 'max']).describe('the aggregate: sum, count, min or max'),
  field: fieldName().optional(),
});
const windowOp = z.strictObject({
  ...common,
  kind: z.literal('window'),
  keyBy,
  window: windowString,
  aggregate: z
    .enum(['count', 'sum', 'min', 'max', 'avg'])
    .describe('the aggregate: count, sum, min, max or avg'),
  field: fieldName().optional(),
  allowedLateness: duration({ wholeMs: true }).optional(),
});
const windowCountOp = z.strictObject({
  ...common,
  kind: z.literal('windowCount'),
  keyBy,
  window: windowString,
});
const keyedProcessOp = z.strictObject({
  ...common,
  kind: z.literal('keyedProcess'),
  keyBy,
  fn: z.literal('userActivity').describe('the process function ("userActivity")'),
  field: field('the field tracked per key, e.g. "page"'),
  emitEvery: int(1).optional(),
  keepLast: int(1, 10_000).optional(),
  sessionGap: duration({ positive: true }).optional(),
});
const sinkOp = z.strictObject({
  ...common,
  kind: z.literal('sink'),
  delivery: z.enum(['at-least-once', 'idempotent', 'exactly-once']).optional(),
  topic: topicName.optional(),
});

export const operatorSchema = z.discriminatedUnion('kind', [
  sourceOp,
  mapOp,
  filterOp,
  flatMapOp,
  unionOp,
  reduceOp,
  windowOp,
  windowCountOp,
  keyedProcessOp,
  sinkOp,
]);

// ---------------------------------------------------------------------------------------------------------------
// Faults, simulator settings, the document

export const FAULT_KINDS = [
  'fail-task',
  'kill-taskmanager',
  'restart-taskmanager',
  'fail-checkpoint-storage',
  'slow-task',
  'stall-channel',
  'fail-state-backend',
] as const;

const faultSchema = z.strictObject({
  at: duration({ description: 'the virtual time of the fault, e.g. "20s"' }),
  kind: z.enum(FAULT_KINDS),
  target: z
    .string()
    .min(1)
    .describe(
      'what fails: "<operatorId>#<subtask>", "tm-<index>", "checkpoint-storage" or "<from>#<i>-><to>#<j>"',
    ),
  duration: duration({ positive: true }).optional(),
  factor: z.number().min(1).max(1000).optional(),
  count: int(1, 1_000_000).optional(),
});

export const ACTION_KINDS = ['checkpoint', 'savepoint', 'stop-with-savepoint'] as const;

/** A user action at a virtual time (types.ts ScenarioAction); `drain` is checked against the kind in validate.ts. */
const actionSchema = z.strictObject({
  at: duration({ description: 'the virtual time of the action, e.g. "12s"' }),
  kind: z.enum(ACTION_KINDS).describe('the action: "checkpoint", "savepoint" or "stop-with-savepoint"'),
  drain: z.boolean().optional(),
});

const latency = () =>
  duration({ max: LIMITS.maxLatencyUs, maxWhy: "the simulator's limit on network latency" });
const simSchema = z.strictObject({
  networkLatency: latency().optional(),
  networkJitter: latency().optional(),
  recordCost: recordCost().optional(),
  stateBandwidth: bytesPerSecond.optional(),
  snapshotEvery: duration({ positive: true })
    .refine((us) => us >= 100_000, {
      error: 'must be at least 100 ms (an engine snapshot costs a copy of the state)',
    })
    .optional(),
});

export const scenarioSchema = z.strictObject({
  version: z.literal(SCENARIO_VERSION),
  name: z.string().min(1).describe('the scenario name'),
  description: z.string().optional(),
  seed: int(0).optional(),
  cluster: z
    .strictObject({
      taskManagers: int(1, 128).optional(),
      slotsPerTaskManager: int(1, 128).optional(),
    })
    .optional(),
  topics: z
    .record(topicName, topicSchema)
    .describe('the input topics, e.g. { "input": { "generator": { "kind": "clicks" } } }'),
  job: z
    .strictObject({
      name: z.string().min(1).optional(),
      operators: z.array(operatorSchema).min(1).describe('the operators of the job graph'),
    })
    .describe('the job: { "operators": [...] }'),
  config: z.record(z.string(), z.unknown()).optional(),
  faults: z.array(faultSchema).optional(),
  actions: z
    .array(actionSchema)
    .optional()
    .describe('user actions at virtual times, e.g. [{ "at": "12s", "kind": "savepoint" }]'),
  sim: simSchema.optional(),
});

export type RawScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedOperator = z.output<typeof operatorSchema>;
export type ParsedGenerator = z.output<typeof generatorSchema>;
export type ParsedFault = z.output<typeof faultSchema>;
export type ParsedAction = z.output<typeof actionSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Readable messages

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  null: 'null',
};

/** Separates the per-key messages of one unrecognized_keys issue (split again in validate.ts). */
export const KEY_MESSAGE_SEPARATOR = '\n';

type RawIssue = z.core.$ZodRawIssue;

function lastKey(issue: RawIssue): string | null {
  const path = issue.path ?? [];
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : null;
}

function descriptionOf(issue: RawIssue): string | undefined {
  const inst = issue.inst;
  return inst instanceof z.ZodType ? inst.description : undefined;
}

function shapeKeys(issue: RawIssue): string[] {
  const inst = issue.inst;
  return inst instanceof z.ZodObject ? Object.keys(inst.shape) : [];
}

/** "got an array: [[1]]", "got null", "got \"x\"": what the value is, for type errors. */
function gotValue(input: unknown): string {
  return Array.isArray(input) ? `got ${showKind(input)}` : `got ${show(input)}`;
}

function bound(n: number | bigint, inclusive: boolean | undefined, lower: boolean): string {
  if (inclusive === false) return `${lower ? 'greater' : 'less'} than ${n}`;
  return `${lower ? 'at least' : 'at most'} ${n}`;
}

/** zod error map giving messages that name what is wrong and what would be valid. */
export function scenarioErrorMap(issue: RawIssue): string | undefined {
  const got = `got ${show(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type': {
      const integer =
        issue.expected === 'number' && issue.inst instanceof z.ZodNumber && issue.inst.format === 'safeint';
      const noun = integer ? 'an integer' : (NOUNS[issue.expected] ?? issue.expected);
      if (issue.input === undefined) {
        const key = lastKey(issue);
        const what = descriptionOf(issue);
        const name = key === null ? 'value' : `field "${key}"`;
        return `missing required ${name}${what === undefined ? '' : ` (${what})`}; expected ${noun}`;
      }
      return `expected ${noun}, ${gotValue(issue.input)}`;
    }
    case 'too_small': {
      if (issue.origin === 'array') return `must have at least ${issue.minimum} element(s), ${got}`;
      if (issue.origin === 'string') return `must not be empty`;
      return `must be ${bound(issue.minimum, issue.inclusive, true)}, ${got}`;
    }
    case 'too_big': {
      if (issue.origin === 'array') return `must have at most ${issue.maximum} element(s)`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters long`;
      return `must be ${bound(issue.maximum, issue.inclusive, false)}, ${got}`;
    }
    case 'invalid_value': {
      const values = issue.values;
      if (issue.input === undefined) {
        const key = lastKey(issue);
        return `missing required field${key === null ? '' : ` "${key}"`}; expected ${quoteList(values)}`;
      }
      if (lastKey(issue) === 'version') {
        if (typeof issue.input === 'string' && issue.input.trim() === String(SCENARIO_VERSION))
          return `must be the number ${SCENARIO_VERSION}, not the string ${show(issue.input)}; write "version": ${SCENARIO_VERSION}`;
        return `unsupported scenario version ${show(issue.input)}; this build reads version ${SCENARIO_VERSION}`;
      }
      const strings = values.filter((v): v is string => typeof v === 'string');
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, strings) : '';
      return `expected ${values.length === 1 ? '' : 'one of '}${quoteList(values)}, ${got}${hint}`;
    }
    case 'unrecognized_keys': {
      const known = shapeKeys(issue);
      return issue.keys
        .map((key) => {
          const hint = didYouMean(key, known);
          return hint !== ''
            ? `unknown key "${key}"${hint}`
            : `unknown key "${key}"; valid keys: ${known.join(', ')}`;
        })
        .join(KEY_MESSAGE_SEPARATOR);
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const disc = issue.discriminator;
        const options = ((issue.options ?? []) as readonly unknown[]).filter(
          (v): v is string => typeof v === 'string',
        );
        const input = issue.input;
        const given =
          typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[disc] : undefined;
        if (typeof input !== 'object' || input === null || Array.isArray(input))
          return `expected an object with a "${disc}" (one of ${quoteList(options)}), ${gotValue(input)}`;
        if (given === undefined)
          return `missing required field "${disc}"; expected one of ${quoteList(options)}`;
        const hint = typeof given === 'string' ? didYouMean(given, options) : '';
        return `unknown ${disc} ${show(given)}${hint === '' ? `; expected one of ${quoteList(options)}` : hint}`;
      }
      return `invalid value, ${got}`;
    }
    case 'invalid_key': {
      const inner = issue.issues.map((i) => i.message).join('; ');
      return `invalid key ${show(issue.input)}: ${inner}`;
    }
    case 'invalid_format':
      return `has an invalid format, ${got}`;
    default:
      return undefined;
  }
}
