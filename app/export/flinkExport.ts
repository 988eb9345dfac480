/** "Export to Flink…": the current scenario as job.sql, config.yaml (and a DataStream skeleton), engine/flink. */
import { exportFlinkDocument, type ExportResult } from '../../engine/flink/exportFlink.ts';
import { getPreset } from '../../engine/scenario/presets.ts';
import { useLab } from '../store/index.ts';

/** The document of the loaded scenario (a preset's JSON or the one loaded from the editor or a file). */
export function currentScenarioDocument(): unknown {
  const source = useLab.getState().source;
  if (source === null) return null;
  if (source.kind === 'preset') return getPreset(source.id)?.scenario ?? null;
  return source.json;
}

export function exportCurrentScenario(): ExportResult {
  const doc = currentScenarioDocument();
  if (doc === null) return { ok: false, errors: ['no scenario is loaded yet'] };
  return exportFlinkDocument(doc);
}
