/**
 * Export to real Flink: a scenario as files a user takes to a Flink 1.20 cluster once they outgrow the simulator:
 *
 * - `job.sql`: the job in Flink SQL (./flinkSql.ts): Kafka tables for sources and sinks (connection options to fill
 *   in), and the query with the same keyBy, windows (TUMBLE / HOP window TVFs) and aggregates;
 * - `config.yaml`: checkpointing, state backend, checkpoint storage, restart strategy, parallelism (./configYaml.ts);
 * - `<Job>Job.java`: a commented DataStream API skeleton for what SQL cannot express (the keyed process function),
 *   only when the scenario has such an operator; `checkpointlab/SplitWords.java` when the script uses it.
 *
 * Pure: no DOM, no Node. The CLI (`export-flink`) writes the files, the app offers them for download.
 */
import { validateScenario } from '../scenario/validate.ts';
import type { Scenario } from '../scenario/types.ts';
import { configYaml } from './configYaml.ts';
import { flinkSqlScript } from './flinkSql.ts';
import { javaSkeleton, splitWordsJava } from './javaSkeleton.ts';

export interface ExportedFile {
  /** Relative path ("job.sql", "checkpointlab/SplitWords.java"). */
  name: string;
  text: string;
  /** One line saying what it is. */
  description: string;
}

export interface FlinkExport {
  files: ExportedFile[];
  /** Operators only the Java skeleton covers. */
  dataStreamOperators: string[];
}

export function exportFlink(scenario: Scenario): FlinkExport {
  const sql = flinkSqlScript(scenario);
  const files: ExportedFile[] = [
    {
      name: 'job.sql',
      text: sql.text,
      description: 'Flink SQL: Kafka tables and the query (sql-client.sh -f job.sql)',
    },
    {
      name: 'config.yaml',
      text: configYaml(scenario),
      description:
        'Flink configuration: checkpointing, state backend, storage, restart strategy, parallelism',
    },
  ];
  if (sql.dataStreamOperators.length > 0) {
    const java = javaSkeleton(scenario, sql.dataStreamOperators);
    files.push({
      ...java,
      description: `DataStream API skeleton for what SQL cannot express: ${sql.dataStreamOperators.join(', ')}`,
    });
  }
  if (sql.functions.some((f) => f.name === 'SplitWords'))
    files.push({ ...splitWordsJava(), description: 'the table function job.sql registers as SplitWords' });
  return { files, dataStreamOperators: sql.dataStreamOperators };
}

export type ExportResult = { ok: true; export: FlinkExport } | { ok: false; errors: string[] };

/** Validates a scenario document and exports it; errors are "path: message" lines. */
export function exportFlinkDocument(doc: unknown): ExportResult {
  const v = validateScenario(doc);
  if (!v.ok)
    return {
      ok: false,
      errors: v.errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)),
    };
  return { ok: true, export: exportFlink(v.scenario) };
}
