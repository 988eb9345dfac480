/**
 * The run's checkpoint statistics as Flink's REST JSON, all four endpoints, in one zip (fflate): the engine
 * produces each response (engine/checkpoint/checkpointStats.ts, restConfig.ts); this only asks for them and packs
 * them under the paths a JobManager serves them at.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { engineClient } from '../engineClient.ts';

/** Flink's job id in application mode (the simulator runs one job). */
export const JOB_ID = '00000000000000000000000000000000';

export interface RestFiles {
  /** Path in the zip -> pretty-printed JSON. */
  files: Record<string, string>;
  checkpoints: number;
  vertices: number;
}

function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2) + '\n';
}

export async function collectRestFiles(): Promise<RestFiles> {
  const base = `jobs/${JOB_ID}/checkpoints`;
  const stats = (await engineClient.checkpointStats()) as { history?: { id: number }[] };
  const files: Record<string, string> = {
    [`${base}.json`]: pretty(stats),
    [`${base}/config.json`]: pretty(await engineClient.checkpointConfig()),
  };
  let vertices = 0;
  const ids = (stats.history ?? []).map((c) => c.id);
  for (const id of ids) {
    const details = (await engineClient.checkpointDetails(id)) as { tasks?: Record<string, unknown> } | null;
    if (details === null) continue;
    files[`${base}/details/${id}.json`] = pretty(details);
    for (const vertexId of Object.keys(details.tasks ?? {})) {
      files[`${base}/details/${id}/subtasks/${vertexId}.json`] = pretty(
        await engineClient.subtaskDetails(id, vertexId),
      );
      vertices++;
    }
  }
  const readme = [
    'Checkpoint statistics of a Checkpoint Lab run, in the JSON of Flink REST API endpoints:',
    '',
    `  ${base}.json                                   GET /jobs/:jobid/checkpoints`,
    `  ${base}/config.json                            GET /jobs/:jobid/checkpoints/config`,
    `  ${base}/details/<id>.json                      GET /jobs/:jobid/checkpoints/details/:checkpointid`,
    `  ${base}/details/<id>/subtasks/<vertexid>.json  GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid`,
    '',
    'Timestamps are virtual milliseconds since the start of the simulated run.',
    'Details are included for every checkpoint in the history (Flink keeps web.checkpoints.history of them).',
    '',
  ].join('\n');
  files['README.txt'] = readme;
  return { files, checkpoints: ids.length, vertices };
}

export function zipFiles(files: Record<string, string>): Uint8Array {
  const tree: Zippable = {};
  for (const [path, text] of Object.entries(files)) tree[path] = strToU8(text);
  return zipSync(tree, { level: 6 });
}
