/** The scenario module's public API (DESIGN: The scenario). */
export { validateScenario, formatErrors, DEFAULT_PAGES, DEFAULT_WORDS, DEFAULT_SIM } from './validate.ts';
export type { ScenarioError, ValidationResult } from './validate.ts';
export { PRESETS, getPreset } from './presets.ts';
export type { Preset } from './presets.ts';
export {
  parseDuration,
  formatDuration,
  parseMemorySize,
  formatMemorySize,
  DurationError,
  MemorySizeError,
} from './duration.ts';
export {
  resolveConfig,
  tryResolveConfig,
  configKeySpec,
  formatConfigValue,
  effectiveRestartStrategy,
  CONFIG_KEYS,
  ConfigError,
  MINIMAL_CHECKPOINT_TIME_US,
  UPPER_BOUND_MAX_PARALLELISM,
} from './config.ts';
export type { ConfigKeySpec, ConfigType, ConfigIssue, ConfigResult } from './config.ts';
export { parseWindow, formatWindow, WindowError } from './windowSpec.ts';
export { scenarioSchema, SCENARIO_VERSION, FAULT_KINDS, ACTION_KINDS } from './schema.ts';
export { LIMITS, RESERVED_NAMES, isReservedName } from './limits.ts';
export type { RawScenarioInput } from './schema.ts';
export type * from './types.ts';
