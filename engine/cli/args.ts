/**
 * A small, strict argument parser: `--name value`, `--name=value`, boolean `--flag`, repeatable options kept
 * in command-line order, `--` to end options. Unknown options, missing values and repeated single options are
 * usage errors that name the problem.
 */
import { didYouMean } from '../scenario/suggest.ts';
import { CliError } from './errors.ts';

export interface OptionSpec {
  /** Without the leading dashes: "seed", "max-parallelism". */
  readonly name: string;
  /** Placeholder of the value in messages ("N", "duration"); absent for a boolean flag. */
  readonly value?: string;
  /** May be given more than once (each occurrence is kept, in order). */
  readonly repeat?: boolean;
}

export interface ParsedOption {
  readonly name: string;
  /** The value, or true for a flag. */
  readonly value: string | true;
}

export class ParsedArgs {
  constructor(
    readonly positionals: readonly string[],
    /** Every option occurrence in command-line order. */
    readonly options: readonly ParsedOption[],
  ) {}

  has(name: string): boolean {
    return this.options.some((o) => o.name === name);
  }

  /** The value of a single-valued option, or undefined when absent. */
  value(name: string): string | undefined {
    for (let i = this.options.length - 1; i >= 0; i--) {
      const o = this.options[i];
      if (o?.name === name && typeof o.value === 'string') return o.value;
    }
    return undefined;
  }

  /** Every value of a repeatable option, in order. */
  values(name: string): string[] {
    const out: string[] = [];
    for (const o of this.options) if (o.name === name && typeof o.value === 'string') out.push(o.value);
    return out;
  }
}

/** A negative number such as "-5" is a positional (an int key), not an option. */
const NEGATIVE_NUMBER = /^-\d/;

export function formatOption(spec: OptionSpec): string {
  return spec.value === undefined ? `--${spec.name}` : `--${spec.name} <${spec.value}>`;
}

/** Parses `argv` (the words after the command) against the command's options. Throws CliError (exit 2). */
export function parseArgs(
  command: string,
  argv: readonly string[],
  specs: readonly OptionSpec[],
): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const positionals: string[] = [];
  const options: ParsedOption[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-h') {
      options.push({ name: 'help', value: true });
      continue;
    }
    if (!word.startsWith('-') || word === '-' || NEGATIVE_NUMBER.test(word)) {
      positionals.push(word);
      continue;
    }
    if (!word.startsWith('--')) {
      throw new CliError(`unknown option ${word} for "${command}"${optionList(specs)}`, 2, command);
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const spec = byName.get(name);
    if (spec === undefined) {
      const hint = didYouMean(
        `--${name}`,
        specs.map((s) => `--${s.name}`),
      );
      throw new CliError(`unknown option --${name} for "${command}"${hint}${optionList(specs)}`, 2, command);
    }
    if (seen.has(name) && spec.repeat !== true) {
      throw new CliError(`--${name} is given more than once (it takes one value)`, 2, command);
    }
    seen.add(name);
    if (spec.value === undefined) {
      if (eq >= 0) throw new CliError(`--${name} takes no value (got "${word.slice(eq + 1)}")`, 2, command);
      options.push({ name, value: true });
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = word.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new CliError(`--${name} needs a value: ${formatOption(spec)}`, 2, command);
      }
      value = next;
      i++;
    }
    options.push({ name, value });
  }
  return new ParsedArgs(positionals, options);
}

function optionList(specs: readonly OptionSpec[]): string {
  const names = specs.filter((s) => s.name !== 'help').map((s) => `--${s.name}`);
  return names.length === 0 ? '; it takes no options' : `; options: ${names.join(', ')}`;
}
