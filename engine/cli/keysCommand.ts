/**
 * `keys`: where Flink puts each key — hashCode, key group and subtask — computed with the engine's own
 * key-group math (engine/state/keyGroups.ts, reference 4.5), with Flink's precondition messages.
 */
import {
  assignToKeyGroup,
  checkMaxParallelismPreconditions,
  checkParallelismPreconditions,
  computeDefaultMaxParallelism,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  keyHashCode,
} from '../state/keyGroups.ts';
import type { Key, KeyType } from '../state/types.ts';
import { parseArgs, type OptionSpec } from './args.ts';
import { CliError, type CliIo } from './errors.ts';
import { formatTable } from './table.ts';

export const KEYS_OPTIONS: readonly OptionSpec[] = [
  { name: 'parallelism', value: 'P' },
  { name: 'max-parallelism', value: 'N' },
  { name: 'type', value: 'string|int|long' },
  { name: 'json' },
  { name: 'help' },
];

const KEY_TYPES: readonly KeyType[] = ['string', 'int', 'long'];
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export interface KeyPlacement {
  key: Key;
  type: KeyType;
  hashCode: number;
  keyGroup: number;
  subtask: number;
}

export interface KeysReport {
  maxParallelism: number;
  parallelism: number;
  keys: KeyPlacement[];
}

function usage(message: string): CliError {
  return new CliError(message, 2, 'keys');
}

function parseInteger(option: string, text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text.trim())) throw usage(`${option} expects an integer, got "${text}"`);
  return Number(text.trim());
}

/** Runs Flink's precondition check and turns its RangeError into a usage error naming the option. */
function precondition(option: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    throw usage(`${option}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Reads a command-line key as the given type: int keys must be 32-bit integers, long keys safe integers. */
export function parseKey(text: string, type: KeyType): Key {
  if (type === 'string') return text;
  const integer = /^[+-]?[0-9]+$/.test(text);
  if (type === 'int') {
    const n = integer ? Number(text) : NaN;
    if (!(n >= INT_MIN && n <= INT_MAX)) {
      throw usage(
        `key "${text}" is not a 32-bit integer: int keys must be whole numbers in [${INT_MIN}, ${INT_MAX}]`,
      );
    }
    return n | 0;
  }
  const n = integer ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw usage(
      `key "${text}" is not a safe integer: long keys must be whole numbers in ` +
        `[-(2^53 - 1), 2^53 - 1] (the simulator holds a Java long as a JavaScript number)`,
    );
  }
  return n;
}

/** The placement of each key for the given parallelism and max parallelism (default: Flink's formula). */
export function placeKeys(
  keys: readonly string[],
  type: KeyType,
  parallelism: number,
  maxParallelism?: number,
): KeysReport {
  precondition('--parallelism', () => checkParallelismPreconditions(parallelism));
  const maxP = maxParallelism ?? computeDefaultMaxParallelism(parallelism);
  if (maxParallelism !== undefined) {
    precondition('--max-parallelism', () => checkMaxParallelismPreconditions(maxParallelism, parallelism));
  }
  return {
    maxParallelism: maxP,
    parallelism,
    keys: keys.map((text) => {
      const key = parseKey(text, type);
      const keyGroup = assignToKeyGroup(key, type, maxP);
      return {
        key,
        type,
        hashCode: keyHashCode(key, type),
        keyGroup,
        subtask: computeOperatorIndexForKeyGroup(maxP, parallelism, keyGroup),
      };
    }),
  };
}

/** A key as typed, quoted only when it would not read back (empty, spaces at the ends, control characters). */
function showKey(key: Key): string {
  if (typeof key === 'number') return String(key);
  // eslint-disable-next-line no-control-regex
  return key === '' || key.trim() !== key || /[\u0000-\u001f\u007f]/.test(key) ? JSON.stringify(key) : key;
}

/** The table printed without --json. Key-group ranges are listed for up to 16 subtasks. */
export function formatKeysReport(report: KeysReport, maxParallelismDefaulted: boolean): string {
  const how = maxParallelismDefaulted ? ' (default for this parallelism)' : '';
  const lines = [`maxParallelism ${report.maxParallelism}${how}, parallelism ${report.parallelism}`, ''];
  lines.push(
    formatTable(
      ['key', 'type', 'hashCode', 'keyGroup', 'subtask'],
      report.keys.map((k) => [showKey(k.key), k.type, k.hashCode, k.keyGroup, k.subtask]),
    ),
  );
  if (report.parallelism <= 16) {
    const ranges = Array.from({ length: report.parallelism }, (_, i) => {
      const r = computeKeyGroupRangeForOperatorIndex(report.maxParallelism, report.parallelism, i);
      return `${i}: [${r.start}, ${r.end}]`;
    });
    lines.push('', `key groups per subtask: ${ranges.join('  ')}`);
  }
  return lines.join('\n') + '\n';
}

export function keysCommand(argv: readonly string[], io: CliIo): number {
  const args = parseArgs('keys', argv, KEYS_OPTIONS);
  const typeText = args.value('type') ?? 'string';
  const type = KEY_TYPES.find((t) => t === typeText);
  if (type === undefined) throw usage(`--type must be string, int or long, got "${typeText}"`);
  const pText = args.value('parallelism');
  if (pText === undefined)
    throw usage('keys needs --parallelism <P> (the parallelism of the keyed operator)');
  const parallelism = parseInteger('--parallelism', pText);
  const nText = args.value('max-parallelism');
  const maxParallelism = nText === undefined ? undefined : parseInteger('--max-parallelism', nText);
  if (args.positionals.length === 0)
    throw usage('keys needs at least one key, e.g. keys --parallelism 2 /help /shop');
  const report = placeKeys(args.positionals, type, parallelism, maxParallelism);
  io.stdout(
    args.has('json') ? JSON.stringify(report) + '\n' : formatKeysReport(report, maxParallelism === undefined),
  );
  return 0;
}
