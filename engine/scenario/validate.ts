/**
 * validateScenario: raw scenario JSON -> the normalized Scenario of ./types.ts, or every error found, each with a
 * JSON path and a message that says what is wrong and what would be valid (DESIGN: The scenario).
 *
 * Phase 1 is the zod schema (./schema.ts, shapes and field values) plus the Flink config (./config.ts); phase 2 is
 * semantic: the job graph (ids, inputs, cycles, partitioners, parallelism), topics and fault targets.
 */
import type { z } from 'zod';
import { tryResolveConfig, UPPER_BOUND_MAX_PARALLELISM } from './config.ts';
import { formatDuration } from './duration.ts';
import { LIMITS, formatCount } from './limits.ts';
import {
  KEY_MESSAGE_SEPARATOR,
  scenarioErrorMap,
  scenarioSchema,
  type ParsedAction,
  type ParsedFault,
  type ParsedGenerator,
  type ParsedOperator,
  type ParsedScenario,
} from './schema.ts';
import { capErrors, checkSizes, type ScenarioError } from './sizeCheck.ts';
import { didYouMean, formatPath, quoteList, show, showKind } from './suggest.ts';
import type {
  ConfigValue,
  FaultSpec,
  FlatMapFn,
  Generator,
  OperatorSpec,
  PartitionerKind,
  Predicate,
  ResolvedConfig,
  Scenario,
  ScenarioAction,
  SimSettings,
  Topic,
  WindowSpec,
} from './types.ts';

export type { ScenarioError };
export { capErrors };
export type ValidationResult = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

type Path = readonly PropertyKey[];

/** Default generator settings (documented in ./types.ts; clicks follow reference 7.3). */
export const DEFAULT_PAGES: readonly string[] = ['/help', '/index', '/shop', '/jobs', '/about', '/news'];
export const DEFAULT_WORDS: readonly string[] = [
  'the',
  'quick',
  'brown',
  'fox',
  'jumps',
  'over',
  'lazy',
  'dog',
  'stream',
  'state',
  'barrier',
  'checkpoint',
];
/** Simulator defaults (./types.ts SimSettings). */
export const DEFAULT_SIM: Readonly<SimSettings> = {
  networkLatencyUs: 1000,
  networkJitterUs: 0,
  recordCostUs: 2,
  stateBytesPerUs: 100,
  snapshotEvery: 5_000_000,
};

/** One line per error: `path: message`. */
export function formatErrors(errors: readonly ScenarioError[]): string {
  return errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('\n');
}

function mapZodIssues(issues: readonly z.core.$ZodIssue[], out: ScenarioError[]): void {
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const messages = issue.message.split(KEY_MESSAGE_SEPARATOR);
      issue.keys.forEach((key, i) => {
        out.push({ path: formatPath([...issue.path, key]), message: messages[i] ?? `unknown key "${key}"` });
      });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a scenario document (a parsed JSON value, or JSON text) and normalizes it: durations in µs, every
 * default filled in, config keys resolved, operators in topological order, one output topic per sink.
 */
export function validateScenario(json: unknown): ValidationResult {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json) as unknown;
    } catch (e) {
      return {
        ok: false,
        errors: [{ path: '', message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` }],
      };
    }
  }
  if (!isPlainObject(doc))
    return {
      ok: false,
      errors: [
        {
          path: '',
          message: `expected a scenario object like { "version": 1, "name": ..., ... }, got ${showKind(doc)}`,
        },
      ],
    };

  const sizes = checkSizes(doc);
  if (sizes.length > 0) return { ok: false, errors: capErrors(sizes) };

  const errors: ScenarioError[] = [];
  const parsed = scenarioSchema.safeParse(doc, { error: scenarioErrorMap, reportInput: true });
  if (!parsed.success) mapZodIssues(parsed.error.issues, errors);

  // The Flink configuration, resolved even when other parts failed so that every error is reported at once.
  let config: ResolvedConfig | null = null;
  const rawConfig = doc['config'] ?? {};
  if (isPlainObject(rawConfig)) {
    const cluster = doc['cluster'];
    const slots = isPlainObject(cluster) ? cluster['slotsPerTaskManager'] : undefined;
    const derived: Record<string, ConfigValue> = {};
    // cluster.slotsPerTaskManager is the same setting as taskmanager.numberOfTaskSlots (reference 7.1).
    if (typeof slots === 'number' && Number.isInteger(slots) && slots >= 1)
      derived['taskmanager.numberOfTaskSlots'] = slots;
    const resolved = tryResolveConfig(rawConfig, derived);
    if (resolved.ok) config = resolved.config;
    else
      for (const issue of resolved.issues)
        errors.push({ path: formatPath(['config', issue.key]), message: issue.message });
  }
  if (!parsed.success || config === null || errors.length > 0)
    return { ok: false, errors: capErrors(errors) };

  const semantic = new SemanticCheck(parsed.data, config);
  const scenario = semantic.run();
  if (semantic.errors.length > 0 || scenario === null)
    return { ok: false, errors: capErrors(semantic.errors) };
  return { ok: true, scenario };
}

type Node = { op: ParsedOperator; index: number; parallelism: number; inputs: string[] };

class SemanticCheck {
  readonly errors: ScenarioError[] = [];
  private readonly nodes = new Map<string, Node>();

  constructor(
    private readonly raw: ParsedScenario,
    private readonly config: ResolvedConfig,
  ) {}

  private error(path: Path, message: string): void {
    this.errors.push({ path: formatPath(path), message });
  }

  run(): Scenario | null {
    const raw = this.raw;
    const config = this.config;
    const sim: SimSettings = {
      networkLatencyUs: raw.sim?.networkLatency ?? DEFAULT_SIM.networkLatencyUs,
      networkJitterUs: raw.sim?.networkJitter ?? DEFAULT_SIM.networkJitterUs,
      recordCostUs: raw.sim?.recordCost ?? DEFAULT_SIM.recordCostUs,
      stateBytesPerUs: raw.sim?.stateBandwidth ?? DEFAULT_SIM.stateBytesPerUs,
      snapshotEvery: raw.sim?.snapshotEvery ?? DEFAULT_SIM.snapshotEvery,
    };

    // Cluster: slots per TaskManager come from cluster or from taskmanager.numberOfTaskSlots (reference 7.1).
    const taskManagers = raw.cluster?.taskManagers ?? 1;
    const configSlots = config.int('taskmanager.numberOfTaskSlots');
    const clusterSlots = raw.cluster?.slotsPerTaskManager;
    if (
      clusterSlots !== undefined &&
      config.isSet('taskmanager.numberOfTaskSlots') &&
      clusterSlots !== configSlots
    )
      this.error(
        ['cluster', 'slotsPerTaskManager'],
        `${clusterSlots} differs from config "taskmanager.numberOfTaskSlots" (${configSlots}); they are the same ` +
          `setting, set only one of them`,
      );
    const slotsPerTaskManager = clusterSlots ?? configSlots;

    const topics = this.topics();
    const operators = this.operators(topics, sim);
    const faults = this.faults(taskManagers);
    const actions = this.actions();
    if (this.errors.length === 0 && operators !== null) this.checkLoad(operators, topics);
    if (this.errors.length > 0 || operators === null) return null;

    const outputTopics: Topic[] = [];
    for (const op of operators)
      if (op.kind === 'sink')
        outputTopics.push({ name: op.topic, partitions: op.parallelism, generator: null });

    return {
      version: 1,
      name: raw.name,
      description: raw.description ?? '',
      jobName: raw.job.name ?? raw.name,
      seed: raw.seed ?? 1,
      cluster: { taskManagers, slotsPerTaskManager },
      topics: [...topics.values(), ...outputTopics],
      operators,
      config,
      faults,
      actions,
      sim,
    };
  }

  // ---- Topics ---------------------------------------------------------------------------------------------------

  private topics(): Map<string, Topic> {
    const topics = new Map<string, Topic>();
    for (const [name, topic] of Object.entries(this.raw.topics)) {
      const generator = this.generator(topic.generator, ['topics', name, 'generator']);
      topics.set(name, { name, partitions: topic.partitions ?? 1, generator });
    }
    return topics;
  }

  private generator(g: ParsedGenerator, path: Path): Generator {
    switch (g.kind) {
      case 'clicks':
        return {
          kind: 'clicks',
          pages: g.pages ?? [...DEFAULT_PAGES],
          eventsPerWindow: g.eventsPerWindow ?? 1000,
          windowSizeMs: g.windowSize === undefined ? 15_000 : g.windowSize / 1000,
          ratePerSecond: g.ratePerSecond ?? 1000,
          users: g.users ?? 0,
          count: g.count ?? null,
        };
      case 'keyed': {
        const ratePerSecond = g.ratePerSecond ?? 1000;
        const keyType = g.keyType ?? 'string';
        const valueMin = g.valueMin ?? 1;
        const valueMax = g.valueMax ?? Math.max(100, valueMin);
        if (valueMin > valueMax)
          this.error([...path, 'valueMax'], `must be at least valueMin (${valueMin}), got ${valueMax}`);
        if (keyType !== 'string' && g.keyPrefix !== undefined)
          this.error(
            [...path, 'keyPrefix'],
            `applies to string keys only; remove it or use "keyType": "string"`,
          );
        return {
          kind: 'keyed',
          keys: g.keys ?? 100,
          keyType,
          keyPrefix: g.keyPrefix ?? 'key-',
          distribution: g.distribution ?? 'round-robin',
          ratePerSecond,
          // Event time advances with virtual time by default: one record every 1e6 / rate µs.
          eventTimeStepUs: g.eventTimeStep ?? Math.max(1, Math.round(1_000_000 / ratePerSecond)),
          maxOutOfOrdernessUs: g.maxOutOfOrderness ?? 0,
          valueMin,
          valueMax,
          count: g.count ?? null,
        };
      }
      case 'text':
        return {
          kind: 'text',
          words: g.words ?? [...DEFAULT_WORDS],
          wordsPerLine: g.wordsPerLine ?? 5,
          ratePerSecond: g.ratePerSecond ?? 200,
          count: g.count ?? null,
        };
    }
  }

  // ---- Operators ------------------------------------------------------------------------------------------------

  private operators(topics: Map<string, Topic>, sim: SimSettings): OperatorSpec[] | null {
    const ops = this.raw.job.operators;
    const path = (i: number, ...rest: PropertyKey[]): Path => ['job', 'operators', i, ...rest];
    const defaultParallelism = this.config.int('parallelism.default');
    const configMax = this.config.int('pipeline.max-parallelism');

    // Unique ids.
    ops.forEach((op, index) => {
      const first = this.nodes.get(op.id);
      if (first !== undefined) {
        this.error(
          path(index, 'id'),
          `duplicate operator id "${op.id}" (also used by job.operators[${first.index}])`,
        );
        return;
      }
      this.nodes.set(op.id, { op, index, parallelism: op.parallelism ?? defaultParallelism, inputs: [] });
    });
    // Subtasks per operator: the simulator's limit, far below Flink's 32768 (./limits.ts).
    let defaultBlamed = false;
    for (const { op, index, parallelism } of this.nodes.values()) {
      if (parallelism <= LIMITS.subtasksPerOperator) continue;
      const limit =
        `the simulator runs at most ${LIMITS.subtasksPerOperator} subtasks per operator (Flink allows up to ` +
        `${UPPER_BOUND_MAX_PARALLELISM}; the simulator runs and draws every subtask in the browser)`;
      if (op.parallelism !== undefined)
        this.error(
          path(index, 'parallelism'),
          `parallelism ${formatCount(parallelism)} is too large: ${limit}`,
        );
      else if (!defaultBlamed) {
        defaultBlamed = true;
        this.error(
          ['config', 'parallelism.default'],
          `${formatCount(parallelism)} is too large for operators without their own parallelism ` +
            `(job.operators[${index}] "${op.id}"): ${limit}`,
        );
      }
    }
    const ids = [...this.nodes.keys()];

    // Inputs.
    for (const node of this.nodes.values()) {
      const { op, index } = node;
      if (op.kind === 'source') {
        if (op.input !== undefined)
          this.error(path(index, 'input'), `a source reads its topic and has no input; remove "input"`);
        if (op.keyBy !== undefined)
          this.error(
            path(index, 'keyBy'),
            `a source cannot be keyed; put "keyBy" on the operator that reads from it`,
          );
        if (op.partitioner !== undefined)
          this.error(
            path(index, 'partitioner'),
            `a source has no input edge to partition; remove "partitioner"`,
          );
        continue;
      }
      if (op.input === undefined) {
        this.error(
          path(index, 'input'),
          `missing required field "input": the id (or list of ids) of the upstream operator(s); known ids: ${quoteList(ids, 'and')}`,
        );
        continue;
      }
      const seen = new Set<string>();
      op.input.forEach((input, j) => {
        const at =
          op.input !== undefined && op.input.length > 1 ? path(index, 'input', j) : path(index, 'input');
        const upstream = this.nodes.get(input);
        if (input === op.id) this.error(at, `operator "${op.id}" cannot read its own output (a cycle)`);
        else if (upstream === undefined)
          this.error(
            at,
            `unknown operator "${input}"${didYouMean(input, ids) || `; known ids: ${quoteList(ids, 'and')}`}`,
          );
        else if (upstream.op.kind === 'sink')
          this.error(at, `"${input}" is a sink and has no output; read from the operator before it instead`);
        else if (seen.has(input)) this.error(at, `"${input}" is listed twice`);
        else {
          seen.add(input);
          node.inputs.push(input);
        }
      });
    }

    const order = this.topologicalOrder();
    if (order === null) return null;

    const sinkTopics = new Map<string, string>();
    const result: OperatorSpec[] = [];
    for (const node of order) {
      const spec = this.operator(node, topics, sinkTopics, sim, configMax);
      if (spec !== null) result.push(spec);
    }
    return result;
  }

  /** Kahn's algorithm, always taking the ready operator that comes first in the document (a stable order). */
  private topologicalOrder(): Node[] | null {
    const nodes = [...this.nodes.values()];
    const indegree = new Map<string, number>();
    const consumers = new Map<string, string[]>();
    for (const node of nodes) {
      indegree.set(node.op.id, node.inputs.length);
      for (const input of node.inputs) consumers.set(input, [...(consumers.get(input) ?? []), node.op.id]);
    }
    const done = new Set<string>();
    const order: Node[] = [];
    for (;;) {
      const next = nodes.find((n) => !done.has(n.op.id) && indegree.get(n.op.id) === 0);
      if (next === undefined) break;
      done.add(next.op.id);
      order.push(next);
      for (const c of consumers.get(next.op.id) ?? []) indegree.set(c, (indegree.get(c) ?? 0) - 1);
    }
    if (order.length === nodes.length) return order;

    // Report one cycle: walk inputs among the unsorted operators until one repeats.
    const remaining = nodes.filter((n) => !done.has(n.op.id));
    const start = remaining[0];
    if (start === undefined) return null;
    const walk: string[] = [];
    let current: Node | undefined = start;
    while (current !== undefined && !walk.includes(current.op.id)) {
      walk.push(current.op.id);
      const nextId: string | undefined = current.inputs.find((i) => !done.has(i));
      current = nextId === undefined ? undefined : this.nodes.get(nextId);
    }
    const cycleStart = current === undefined ? 0 : walk.indexOf(current.op.id);
    // In data-flow direction, starting at the operator that comes first in the scenario.
    const cycle = walk.slice(cycleStart).reverse();
    let rotate = 0;
    cycle.forEach((id, k) => {
      if ((this.nodes.get(id)?.index ?? 0) < (this.nodes.get(cycle[rotate] ?? '')?.index ?? 0)) rotate = k;
    });
    cycle.push(...cycle.splice(0, rotate));
    const first = this.nodes.get(cycle[0] ?? start.op.id) ?? start;
    this.error(
      ['job', 'operators', first.index, 'input'],
      `the job graph has a cycle: ${[...cycle, cycle[0] ?? ''].join(' -> ')}; a streaming job graph must be ` +
        `acyclic (iterations are not simulated), so remove one of these inputs`,
    );
    return null;
  }

  private operator(
    node: Node,
    topics: Map<string, Topic>,
    sinkTopics: Map<string, string>,
    sim: SimSettings,
    configMax: number,
  ): OperatorSpec | null {
    const { op, index, parallelism } = node;
    const path = (...rest: PropertyKey[]): Path => ['job', 'operators', index, ...rest];

    // Max parallelism (reference 4.5): the operator's, else pipeline.max-parallelism, else Flink's formula (null).
    const maxParallelism = op.maxParallelism ?? (configMax > 0 ? configMax : null);
    if (maxParallelism !== null && parallelism > maxParallelism) {
      const source = op.maxParallelism !== undefined ? 'maxParallelism' : 'config "pipeline.max-parallelism"';
      this.error(
        path(op.maxParallelism !== undefined ? 'maxParallelism' : 'parallelism'),
        `Maximum parallelism must not be smaller than parallelism. (parallelism ${parallelism}, ${source} ` +
          `${maxParallelism}; maxParallelism must be between ${parallelism} and ${UPPER_BOUND_MAX_PARALLELISM})`,
      );
    }

    const keyBy = op.kind === 'source' ? null : (op.keyBy ?? null);
    if (keyBy !== null && op.partitioner !== undefined)
      this.error(
        path('partitioner'),
        `"partitioner" cannot be combined with "keyBy": a keyBy always uses hash partitioning; remove one of them`,
      );
    if (op.keyType !== undefined && keyBy === null)
      this.error(path('keyType'), `"keyType" describes the key of "keyBy"; add "keyBy" or remove "keyType"`);

    // Partitioner of the input edges: hash when keyed, else as given, else forward when every input has the same
    // parallelism, else rebalance (Flink replaces an unspecified forward by rebalance on a parallelism change).
    let partitioner: PartitionerKind;
    if (keyBy !== null) partitioner = 'hash';
    else if (op.partitioner !== undefined) partitioner = op.partitioner;
    else {
      const equal = node.inputs.every((i) => this.nodes.get(i)?.parallelism === parallelism);
      partitioner = equal ? 'forward' : 'rebalance';
    }
    if (partitioner === 'forward')
      for (const input of node.inputs) {
        const upstream = this.nodes.get(input);
        if (upstream !== undefined && upstream.parallelism !== parallelism)
          this.error(
            path('partitioner'),
            `Forward partitioning does not allow change of parallelism. Upstream operation: ${upstream.op.id} ` +
              `parallelism: ${upstream.parallelism}, downstream operation: ${op.id} parallelism: ${parallelism}. ` +
              `You must use another partitioning strategy, such as broadcast, rebalance, shuffle or global.`,
          );
      }

    const common = {
      id: op.id,
      name: op.name ?? op.id,
      parallelism,
      maxParallelism,
      inputs: node.inputs,
      partitioner,
      keyBy,
      keyType: op.keyType ?? 'string',
      costPerRecordUs: op.costPerRecord ?? sim.recordCostUs,
      chaining: op.chaining ?? 'default',
    } as const;

    const requireField = (aggregate: string, field: string | undefined): string | null => {
      if (aggregate === 'count') {
        if (field !== undefined)
          this.error(
            path('field'),
            `"field" has no effect with aggregate "count" (it counts records); remove it`,
          );
        return null;
      }
      if (field === undefined) {
        this.error(
          path('field'),
          `missing required field "field": aggregate "${aggregate}" needs the numeric field to ${aggregate}, e.g. "value"`,
        );
        return null;
      }
      return field;
    };

    switch (op.kind) {
      case 'source': {
        const topic = topics.get(op.topic);
        if (topic === undefined) {
          const declared = [...topics.keys()];
          const sinkNamed = [...this.nodes.values()].find(
            (n) => n.op.kind === 'sink' && (n.op.topic ?? n.op.id) === op.topic,
          );
          this.error(
            path('topic'),
            sinkNamed !== undefined
              ? `topic "${op.topic}" is the output of sink "${sinkNamed.op.id}"; sources read declared input topics ` +
                  `(${quoteList(declared)})`
              : `unknown topic "${op.topic}"` +
                  (didYouMean(op.topic, declared) ||
                    `; declare it under "topics" with a generator, or use one of ${quoteList(declared)}`),
          );
        }
        return {
          ...common,
          kind: 'source',
          topic: op.topic,
          timestampField: op.timestampField ?? 'ts',
          outOfOrdernessUs: op.watermarks?.outOfOrderness ?? 0,
          idlenessUs: op.watermarks?.idleness ?? null,
          maxBatch: op.maxBatch ?? 256,
          startingOffsets: op.startingOffsets ?? 'earliest',
        };
      }
      case 'map':
        return { ...common, kind: 'map', fn: op.fn };
      case 'filter':
        return { ...common, kind: 'filter', where: this.predicate(op.where, path('where')) };
      case 'flatMap': {
        const fn: FlatMapFn =
          op.fn.type === 'split'
            ? {
                type: 'split',
                field: op.fn.field,
                separator: op.fn.separator ?? ' ',
                into: op.fn.into ?? op.fn.field,
              }
            : op.fn;
        return { ...common, kind: 'flatMap', fn };
      }
      case 'union':
        return { ...common, kind: 'union' };
      case 'reduce':
        return {
          ...common,
          kind: 'reduce',
          aggregate: op.aggregate,
          field: requireField(op.aggregate, op.field),
        };
      case 'window':
        this.checkWindow(op.window, path('window'));
        return {
          ...common,
          kind: 'window',
          window: op.window,
          aggregate: op.aggregate,
          field: requireField(op.aggregate, op.field),
          allowedLatenessUs: op.allowedLateness ?? 0,
        };
      case 'windowCount':
        this.checkWindow(op.window, path('window'));
        return {
          ...common,
          kind: 'window',
          window: op.window,
          aggregate: 'count',
          field: null,
          allowedLatenessUs: 0,
        };
      case 'keyedProcess':
        return {
          ...common,
          kind: 'keyedProcess',
          fn: op.fn,
          field: op.field,
          emitEvery: op.emitEvery ?? 10,
          keepLast: op.keepLast ?? 5,
          sessionGapUs: op.sessionGap ?? null,
        };
      case 'sink': {
        const topic = op.topic ?? op.id;
        const at = op.topic !== undefined ? path('topic') : path('id');
        const how =
          op.topic !== undefined ? '' : ' (a sink writes the topic named after its id unless "topic" is set)';
        if (topics.has(topic))
          this.error(
            at,
            `sink "${op.id}" writes topic "${topic}", which is declared as an input topic${how}; give the sink ` +
              `another "topic"`,
          );
        const other = sinkTopics.get(topic);
        if (other !== undefined)
          this.error(
            at,
            `topic "${topic}" is already written by sink "${other}"${how}; give each sink its own "topic"`,
          );
        else sinkTopics.set(topic, op.id);
        return { ...common, kind: 'sink', delivery: op.delivery ?? 'at-least-once', topic };
      }
    }
  }

  /** A sliding window puts each record into size / slide windows: at most LIMITS.windowsPerRecord. */
  private checkWindow(spec: WindowSpec, path: Path): void {
    if (spec.type !== 'sliding') return;
    const perRecord = Math.ceil(spec.sizeMs / spec.slideMs);
    if (perRecord > LIMITS.windowsPerRecord)
      this.error(
        path,
        `a sliding window of size ${formatDuration(spec.sizeMs * 1000)} and slide ` +
          `${formatDuration(spec.slideMs * 1000)} puts every record into ${formatCount(perRecord)} windows; the ` +
          `simulator allows at most ${LIMITS.windowsPerRecord} windows per record (size / slide <= ` +
          `${LIMITS.windowsPerRecord}): use a larger slide or a smaller size`,
      );
  }

  /**
   * The job's size against LIMITS: subtasks, channels and records per virtual second over all operators' inputs
   * (estimated from the topics' rates through the graph; see LIMITS.recordsPerSecond).
   */
  private checkLoad(operators: readonly OperatorSpec[], topics: ReadonlyMap<string, Topic>): void {
    const byId = new Map(operators.map((o) => [o.id, o]));
    let subtasks = 0;
    let channels = 0;
    for (const op of operators) {
      subtasks += op.parallelism;
      for (const input of op.inputs) {
        const up = byId.get(input);
        if (up === undefined) continue;
        // Forward channels (one per subtask) are bounded by the subtask limit; all-to-all edges multiply.
        if (op.partitioner !== 'forward') channels += up.parallelism * op.parallelism;
      }
    }
    if (subtasks > LIMITS.totalSubtasks)
      this.error(
        ['job', 'operators'],
        `the job has ${formatCount(subtasks)} subtasks (the sum of the operators' parallelism); the simulator runs ` +
          `at most ${formatCount(LIMITS.totalSubtasks)}: lower some operators' parallelism`,
      );
    if (channels > LIMITS.totalChannels)
      this.error(
        ['job', 'operators'],
        `the job has ${formatCount(channels)} channels on its keyBy, rebalance and broadcast edges (each such ` +
          `edge has upstream x downstream parallelism channels); the simulator runs at most ` +
          `${formatCount(LIMITS.totalChannels)}: lower the parallelism on both sides of those edges`,
      );

    // Records per virtual second arriving at each operator, and what it emits (an upper estimate).
    const wordsPerLine = Math.max(
      1,
      ...[...topics.values()].map((t) => (t.generator?.kind === 'text' ? t.generator.wordsPerLine : 1)),
    );
    const out = new Map<string, number>();
    let total = 0;
    let busiest: { id: string; rate: number } | null = null;
    for (const op of operators) {
      let rate = 0;
      if (op.kind === 'source') {
        const g = topics.get(op.topic)?.generator;
        rate = g === null || g === undefined ? 0 : g.ratePerSecond;
      } else
        for (const input of op.inputs)
          rate += (out.get(input) ?? 0) * (op.partitioner === 'broadcast' ? op.parallelism : 1);
      total += rate;
      if (busiest === null || rate > busiest.rate) busiest = { id: op.id, rate };
      const factor = op.kind === 'flatMap' ? (op.fn.type === 'repeat' ? op.fn.times : wordsPerLine) : 1;
      out.set(op.id, rate * factor);
    }
    if (total > LIMITS.recordsPerSecond)
      this.error(
        ['job', 'operators'],
        `the job would process about ${formatCount(Math.round(total))} records per virtual second over all ` +
          `operators (the topics' ratePerSecond, multiplied by flatMap and broadcast; "${busiest?.id ?? ''}" ` +
          `alone receives ${formatCount(Math.round(busiest?.rate ?? 0))}); the simulator allows at most ` +
          `${formatCount(LIMITS.recordsPerSecond)}: lower the topics' ratePerSecond`,
      );
  }

  // ---- Actions --------------------------------------------------------------------------------------------------

  /** User actions (document field `actions`), stable-sorted by time; nothing may follow a stop-with-savepoint. */
  private actions(): ScenarioAction[] {
    const raw = this.raw.actions ?? [];
    const specs = raw.map((a, i) => ({ spec: this.action(a, ['actions', i]), i }));
    specs.sort((a, b) => a.spec.atUs - b.spec.atUs || a.i - b.i);
    const stop = specs.find((x) => x.spec.kind === 'stop-with-savepoint');
    if (stop !== undefined)
      for (const x of specs)
        if (x !== stop && (x.spec.atUs > stop.spec.atUs || (x.spec.atUs === stop.spec.atUs && x.i > stop.i)))
          this.error(
            ['actions', x.i],
            `comes after the stop-with-savepoint at ${formatDuration(stop.spec.atUs)} (actions[${stop.i}]), ` +
              `when the job has already stopped; remove it or move it before the stop`,
          );
    return specs.map((x) => x.spec);
  }

  private action(a: ParsedAction, path: Path): ScenarioAction {
    if (a.kind === 'stop-with-savepoint') return { atUs: a.at, kind: a.kind, drain: a.drain ?? false };
    if (a.drain !== undefined)
      this.error(
        [...path, 'drain'],
        `"drain" applies only to "stop-with-savepoint" (it sends MAX_WATERMARK before the final savepoint); ` +
          `remove it from this "${a.kind}"`,
      );
    return { atUs: a.at, kind: a.kind };
  }

  private predicate(where: Predicate, path: Path): Predicate {
    const { op, value } = where;
    const at = [...path, 'value'];
    if (op === 'in' || op === 'notIn') {
      if (!Array.isArray(value) || value.length === 0)
        this.error(at, `"${op}" compares with a list of values, e.g. ["a", "b"]; got ${show(value)}`);
    } else if (op === 'mod') {
      const ok =
        Array.isArray(value) &&
        value.length === 2 &&
        value.every((v) => typeof v === 'number' && Number.isInteger(v)) &&
        (value[0] as number) > 0 &&
        (value[1] as number) >= 0 &&
        (value[1] as number) < (value[0] as number);
      if (!ok)
        this.error(
          at,
          `"mod" takes [divisor, remainder] with 0 <= remainder < divisor, e.g. [2, 0] for even values; got ${show(value)}`,
        );
    } else if (Array.isArray(value)) {
      this.error(at, `"${op}" compares with one value (a string or a number); got ${show(value)}`);
    } else if (op === 'startsWith' && typeof value !== 'string') {
      this.error(at, `"startsWith" compares with a string prefix; got ${show(value)}`);
    }
    return where;
  }

  // ---- Faults ---------------------------------------------------------------------------------------------------

  private faults(taskManagers: number): FaultSpec[] {
    const specs = (this.raw.faults ?? []).map((fault, i) => this.fault(fault, ['faults', i], taskManagers));
    // Stable by time: the engine schedules them in this order.
    return specs
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => a.spec.at - b.spec.at || a.i - b.i)
      .map((x) => x.spec);
  }

  private fault(fault: ParsedFault, path: Path, taskManagers: number): FaultSpec {
    const { kind, target } = fault;
    const forms =
      `"<operatorId>#<subtask>" (e.g. "${[...this.nodes.keys()][0] ?? 'counter'}#0"), "tm-<index>", ` +
      `"checkpoint-storage" or "<from>#<i>-><to>#<j>" for a channel`;
    type TargetKind = 'subtask' | 'taskmanager' | 'storage' | 'channel';
    const wanted: Record<typeof kind, TargetKind> = {
      'fail-task': 'subtask',
      'slow-task': 'subtask',
      'kill-taskmanager': 'taskmanager',
      'restart-taskmanager': 'taskmanager',
      'fail-checkpoint-storage': 'storage',
      'stall-channel': 'channel',
      'fail-state-backend': 'subtask',
    };
    const examples: Record<TargetKind, string> = {
      subtask: 'a subtask "<operatorId>#<index>"',
      taskmanager: 'a TaskManager "tm-<index>"',
      storage: '"checkpoint-storage"',
      channel: 'a channel "<from>#<i>-><to>#<j>"',
    };
    const at = [...path, 'target'];

    const subtask = (text: string): string | null => {
      const m = /^(.+)#(\d+)$/.exec(text);
      const id = m?.[1] ?? text;
      const node = this.nodes.get(id);
      if (m === null || node === undefined) {
        const hint = didYouMean(id, [...this.nodes.keys()]);
        return m === null
          ? `expected ${forms}, got "${text}"`
          : `unknown operator "${id}" in target "${text}"${hint}`;
      }
      const n = Number(m[2]);
      if (n >= node.parallelism)
        return `subtask index ${n} out of range: "${id}" has parallelism ${node.parallelism} (indexes 0..${node.parallelism - 1})`;
      return null;
    };

    let actual: TargetKind | null = null;
    let problem: string | null = null;
    const channel = /^(.+#\d+)\s*->\s*(.+#\d+)$/.exec(target);
    const tm = /^tm-(\d+)$/.exec(target);
    if (target === 'checkpoint-storage') actual = 'storage';
    else if (tm !== null) {
      actual = 'taskmanager';
      const n = Number(tm[1]);
      if (n >= taskManagers)
        problem = `TaskManager index ${n} out of range: the cluster has ${taskManagers} TaskManager(s) (tm-0..tm-${taskManagers - 1})`;
    } else if (channel !== null) {
      actual = 'channel';
      const from = channel[1] ?? '';
      const to = channel[2] ?? '';
      problem = subtask(from) ?? subtask(to);
      if (problem === null) {
        const [fromId = '', fromIndex = ''] = from.split(/#(?=\d+$)/);
        const [toId = '', toIndex = ''] = to.split(/#(?=\d+$)/);
        const downstream = this.nodes.get(toId);
        if (downstream === undefined || !downstream.inputs.includes(fromId))
          problem = `there is no edge from "${fromId}" to "${toId}"; a channel connects an operator to one of its inputs`;
        else if (this.edgeIsForward(downstream) && fromIndex !== toIndex)
          problem = `the edge "${fromId}" -> "${toId}" is forward: subtask ${fromIndex} only sends to subtask ${fromIndex}`;
      }
    } else if (/#\d+$/.test(target) || this.nodes.has(target)) {
      actual = 'subtask';
      problem = this.nodes.has(target)
        ? `name one subtask: "${target}#0" .. "${target}#${(this.nodes.get(target)?.parallelism ?? 1) - 1}"`
        : subtask(target);
    } else {
      problem = `expected ${forms}, got "${target}"`;
    }
    if (problem !== null) this.error(at, problem);
    else if (actual !== wanted[kind])
      this.error(at, `"${kind}" targets ${examples[wanted[kind]]}, got "${target}"`);

    const allowed: Record<'duration' | 'factor' | 'count', readonly (typeof kind)[]> = {
      duration: ['slow-task', 'stall-channel', 'kill-taskmanager'],
      factor: ['slow-task'],
      count: ['fail-checkpoint-storage', 'fail-state-backend'],
    };
    for (const key of ['duration', 'factor', 'count'] as const)
      if (fault[key] !== undefined && !allowed[key].includes(kind))
        this.error(
          [...path, key],
          `"${key}" does not apply to "${kind}" (only to ${quoteList(allowed[key], 'and')})`,
        );

    return {
      at: fault.at,
      kind,
      target: target.replace(/\s*->\s*/, '->'),
      durationUs: fault.duration ?? null,
      factor: fault.factor ?? null,
      count: fault.count ?? null,
    };
  }

  private edgeIsForward(downstream: Node): boolean {
    if (downstream.op.kind === 'source') return false;
    if (downstream.op.keyBy !== undefined) return false;
    if (downstream.op.partitioner !== undefined) return downstream.op.partitioner === 'forward';
    return downstream.inputs.every((i) => this.nodes.get(i)?.parallelism === downstream.parallelism);
  }
}
