/**
 * The parts of a scenario Flink SQL cannot express, as commented DataStream API Java (Flink 1.20): the keyed process
 * function (`userActivity`, with the same state descriptors and event-time timer the simulator uses) inside a job
 * skeleton that reads its input topic with KafkaSource and writes its sinks with KafkaSink; and the SQL script's
 * table function (SplitWords), complete. The skeleton compiles once the TODOs (record classes, serializers,
 * the operators between the source and the process function) are filled in; it is a starting point, not a
 * generated program.
 */
import type { KeyedProcessOp, OperatorSpec, Scenario, SinkOp, SourceOp } from '../scenario/types.ts';
import { FILL_IN_SERVERS } from './flinkSql.ts';

function className(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const name = words.map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Job${name}`;
}

function javaString(s: string): string {
  return JSON.stringify(s);
}

function upstream(scenario: Scenario, op: OperatorSpec): OperatorSpec[] {
  const byId = new Map(scenario.operators.map((o) => [o.id, o]));
  const chain: OperatorSpec[] = [];
  let cur: OperatorSpec | undefined = op;
  while (cur !== undefined && cur.inputs.length > 0) {
    const prev = byId.get(cur.inputs[0] ?? '');
    if (prev === undefined) break;
    chain.unshift(prev);
    cur = prev;
  }
  return chain;
}

function processFunction(op: KeyedProcessOp): string {
  const fnName = className(op.id) + 'Function';
  const gap = op.sessionGapUs === null ? null : op.sessionGapUs / 1000;
  return `
    /**
     * "${op.id}" (${op.fn}), keyed by ${op.keyBy ?? '?'}: per key it counts records (ValueState), counts each
     * ${op.field} (MapState), keeps the last ${op.keepLast} values (ListState), the latest timestamp (ReducingState)
     * and the mean gap between records (AggregatingState); every ${op.emitEvery} records of a key it emits a
     * summary${gap === null ? '' : `, and an event-time timer ${gap} ms after the key's last record closes the session`}.
     */
    public static class ${fnName} extends KeyedProcessFunction<String, Event, Summary> {
        private transient ValueState<Long> visits;
        private transient MapState<String, Long> perValue;
        private transient ListState<String> recent;
        private transient ReducingState<Long> lastSeen;
        private transient AggregatingState<Long, Double> meanGap;

        @Override
        public void open(OpenContext ctx) {
            visits = getRuntimeContext().getState(new ValueStateDescriptor<>("visits", Types.LONG));
            perValue = getRuntimeContext().getMapState(
                    new MapStateDescriptor<>("per-${op.field}", Types.STRING, Types.LONG));
            recent = getRuntimeContext().getListState(new ListStateDescriptor<>("recent", Types.STRING));
            lastSeen = getRuntimeContext().getReducingState(
                    new ReducingStateDescriptor<>("last-seen", Math::max, Types.LONG));
            // TODO: an AggregateFunction<Long, Tuple2<Long, Long>, Double> averaging the gaps.
            // meanGap = getRuntimeContext().getAggregatingState(
            //         new AggregatingStateDescriptor<>("mean-gap", new MeanGap(), Types.TUPLE(Types.LONG, Types.LONG)));
        }

        @Override
        public void processElement(Event event, Context ctx, Collector<Summary> out) throws Exception {
            long n = (visits.value() == null ? 0 : visits.value()) + 1;
            visits.update(n);
            Long seen = perValue.get(event.${op.field});
            perValue.put(event.${op.field}, seen == null ? 1 : seen + 1);
            recent.add(event.${op.field}); // TODO: keep only the last ${op.keepLast}
            lastSeen.add(event.ts);${
              gap === null
                ? ''
                : `
            ctx.timerService().registerEventTimeTimer(event.ts + ${gap}L); // session gap`
            }
            if (n % ${op.emitEvery} == 0) {
                // TODO: out.collect(new Summary(ctx.getCurrentKey(), n, ...));
            }
        }${
          gap === null
            ? ''
            : `

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Summary> out) throws Exception {
            Long last = lastSeen.get();
            if (last != null && timestamp >= last + ${gap}L) {
                // TODO: out.collect(a final Summary with sessionEnd = true), then clear the key's state:
                visits.clear(); perValue.clear(); recent.clear(); lastSeen.clear();
            }
        }`
        }
    }`;
}

export function needsJavaSkeleton(scenario: Scenario, dataStreamOperators: readonly string[]): boolean {
  return dataStreamOperators.length > 0 && scenario.operators.length > 0;
}

/** The DataStream job for the operators the SQL script leaves out (file name and text). */
export function javaSkeleton(
  scenario: Scenario,
  dataStreamOperators: readonly string[],
): { name: string; text: string } {
  const main = className(scenario.jobName) + 'Job';
  const ops = scenario.operators.filter((o) => dataStreamOperators.includes(o.id));
  const processOps = ops.filter((o): o is KeyedProcessOp => o.kind === 'keyedProcess');
  const sinks = ops.filter((o): o is SinkOp => o.kind === 'sink');
  const firstProcess = processOps[0];
  const chain = firstProcess === undefined ? [] : upstream(scenario, firstProcess);
  const source = chain.find((o): o is SourceOp => o.kind === 'source');
  const between = chain.filter((o) => o.kind !== 'source');
  const outOfOrdernessMs = source === undefined ? 0 : source.outOfOrdernessUs / 1000;
  const body = [
    `// DataStream API skeleton for "${scenario.name}", exported by Checkpoint Lab for Flink 1.20.`,
    '// The SQL script cannot express: ' + ops.map((o) => `${o.id} (${o.kind})`).join(', ') + '.',
    '// Checkpointing, state backend, storage and restart strategy come from the exported config.yaml.',
    '// Dependencies: flink-streaming-java, flink-connector-kafka, a JSON (de)serializer of your choice.',
    '',
    'import org.apache.flink.api.common.eventtime.WatermarkStrategy;',
    'import org.apache.flink.api.common.functions.OpenContext;',
    'import org.apache.flink.api.common.state.*;',
    'import org.apache.flink.api.common.typeinfo.Types;',
    'import org.apache.flink.connector.base.DeliveryGuarantee;',
    'import org.apache.flink.connector.kafka.sink.KafkaSink;',
    'import org.apache.flink.connector.kafka.source.KafkaSource;',
    'import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;',
    'import org.apache.flink.streaming.api.datastream.DataStream;',
    'import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;',
    'import org.apache.flink.streaming.api.functions.KeyedProcessFunction;',
    'import org.apache.flink.util.Collector;',
    'import java.time.Duration;',
    '',
    `public class ${main} {`,
    '',
    "    /** TODO: the input record (fields of the topic's JSON) and the summary the process function emits. */",
    '    public static class Event { public String page; public String user; public long ts; }',
    '    public static class Summary { /* key, visits, distinct, top, recent, meanGapMs, sessionEnd */ }',
    '',
    '    public static void main(String[] args) throws Exception {',
    '        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();',
    '',
    source === undefined
      ? "        // TODO: the source of the process function's input"
      : [
          `        KafkaSource<Event> source = KafkaSource.<Event>builder()`,
          `                .setBootstrapServers(${javaString(FILL_IN_SERVERS)})`,
          `                .setTopics(${javaString(source.topic)})`,
          `                .setGroupId(${javaString(`${scenario.jobName}-${source.id}`)})`,
          `                .setStartingOffsets(OffsetsInitializer.${source.startingOffsets === 'latest' ? 'latest' : 'earliest'}())`,
          '                // .setValueOnlyDeserializer(TODO: JSON -> Event)',
          '                .build();',
          `        DataStream<Event> ${source.id} = env.fromSource(source,`,
          `                WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(${outOfOrdernessMs}))`,
          '                        .withTimestampAssigner((e, t) -> e.ts)' +
            (source.idlenessUs === null
              ? ','
              : `\n                        .withIdleness(Duration.ofMillis(${source.idlenessUs / 1000})),`),
          `                ${javaString(source.id)}).setParallelism(${source.parallelism});`,
        ].join('\n'),
    ...between.map(
      (o) =>
        `        // TODO: ${o.kind} "${o.id}" (parallelism ${o.parallelism}), as in the SQL script's view "${o.id}"`,
    ),
    ...processOps.map(
      (p) =>
        `        DataStream<Summary> ${p.id} = ${p.inputs[0] ?? 'input'}\n                .keyBy(e -> e.${p.keyBy ?? 'key'})\n                .process(new ${className(p.id)}Function())\n                .name(${javaString(p.id)}).uid(${javaString(p.id)}).setParallelism(${p.parallelism});`,
    ),
    ...sinks.map((s) =>
      [
        `        ${s.inputs[0] ?? 'input'}.sinkTo(KafkaSink.<Summary>builder()`,
        `                .setBootstrapServers(${javaString(FILL_IN_SERVERS)})`,
        `                // .setRecordSerializer(TODO: Summary -> JSON for topic ${javaString(s.topic)})`,
        `                .setDeliveryGuarantee(DeliveryGuarantee.${s.delivery === 'exactly-once' ? 'EXACTLY_ONCE' : 'AT_LEAST_ONCE'})` +
          (s.delivery === 'exactly-once'
            ? `\n                .setTransactionalIdPrefix(${javaString(`${scenario.jobName}-${s.id}`)})`
            : ''),
        `                .build()).name(${javaString(s.id)}).uid(${javaString(s.id)}).setParallelism(${s.parallelism});`,
      ].join('\n'),
    ),
    '',
    `        env.execute(${javaString(scenario.jobName)});`,
    '    }',
    ...processOps.map(processFunction),
    '}',
  ];
  return { name: `${main}.java`, text: body.join('\n') + '\n' };
}

/** The SQL script's table function that splits a string into one row per non-empty part. */
export function splitWordsJava(): { name: string; text: string } {
  return {
    name: 'checkpointlab/SplitWords.java',
    text: `package checkpointlab;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/** SplitWords(text, separator): one row per non-empty part, as the simulator's flatMap "split". */
@FunctionHint(output = @DataTypeHint("ROW<part STRING>"))
public class SplitWords extends TableFunction<Row> {
    public void eval(String text, String separator) {
        if (text == null) return;
        for (String part : text.split(java.util.regex.Pattern.quote(separator))) {
            if (!part.isEmpty()) collect(Row.of(part));
        }
    }
}
`,
  };
}
