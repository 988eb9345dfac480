/**
 * Size checks that run before the schema reads a scenario (issue: hardening, hostile input): the limits of
 * ./limits.ts on lists, objects, strings and nesting, checked iteratively so that no document can overflow the
 * stack, and a cap on how many errors are reported.
 */
import { LIMITS, formatCount, isReservedName, reservedNameMessage } from './limits.ts';
import { formatPath } from './suggest.ts';

/** One validation error: the JSON path and what is wrong (and how to fix it). */
export type ScenarioError = { path: string; message: string };

/**
 * At most LIMITS.reportedErrors errors, then one line counting the rest ("... and 99,990 more problems"), so that
 * a document with 100,000 mistakes gives a readable answer quickly.
 */
export function capErrors(errors: readonly ScenarioError[]): ScenarioError[] {
  const max = LIMITS.reportedErrors;
  if (errors.length <= max) return errors.slice();
  const rest = errors.length - max;
  return [
    ...errors.slice(0, max),
    { path: '', message: `... and ${formatCount(rest)} more problem${rest === 1 ? '' : 's'}` },
  ];
}

/** The size limit of the list or object at `path` (LIMITS), with what its entries are called. */
function sizeLimit(path: readonly PropertyKey[], isArray: boolean): { max: number; what: string } {
  const key =
    path.length === 1 ? path[0] : path.length === 2 && path[0] === 'job' ? `job.${String(path[1])}` : null;
  if (isArray) {
    if (key === 'job.operators') return { max: LIMITS.operators, what: 'operators' };
    if (key === 'faults') return { max: LIMITS.scheduled, what: 'faults' };
    if (key === 'actions') return { max: LIMITS.scheduled, what: 'actions' };
    return { max: LIMITS.listLength, what: 'elements' };
  }
  if (key === 'topics') return { max: LIMITS.topics, what: 'topics' };
  return { max: LIMITS.configEntries, what: 'entries' };
}

/**
 * Checks the document's shape against the size limits before the schema reads it (iteratively: a document
 * nested 100,000 levels deep must not overflow the stack). Returns the errors found, at most a few.
 */
export function checkSizes(doc: Record<string, unknown>): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: doc, path: [] }];
  while (stack.length > 0 && errors.length < LIMITS.reportedErrors) {
    const { value, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof value === 'string' && value.length > LIMITS.stringLength)
      errors.push({
        path: formatPath(path),
        message: `is a string of ${formatCount(value.length)} characters; the simulator accepts at most ${formatCount(LIMITS.stringLength)}`,
      });
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= LIMITS.depth) {
      errors.push({
        path: formatPath(path),
        message: `nested deeper than ${LIMITS.depth} levels; a scenario nests at most a few levels (is this the right file?)`,
      });
      continue;
    }
    const isArray = Array.isArray(value);
    const size = isArray ? value.length : Object.keys(value).length;
    const { max, what } = sizeLimit(path, isArray);
    if (size > max) {
      errors.push({
        path: formatPath(path),
        message: `has ${formatCount(size)} ${what}; the simulator accepts at most ${formatCount(max)}`,
      });
      continue;
    }
    if (!isArray && path.length === 1 && path[0] === 'topics')
      for (const name of Object.keys(value))
        if (isReservedName(name))
          errors.push({
            path: formatPath(['topics', name]),
            message: reservedNameMessage(name, 'a topic name'),
          });
    if (isArray)
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    else
      for (const [k, v] of Object.entries(value)) {
        if (k.length > LIMITS.stringLength) {
          errors.push({
            path: formatPath(path),
            message: `has a key of ${formatCount(k.length)} characters; the simulator accepts at most ${formatCount(LIMITS.stringLength)}`,
          });
          continue;
        }
        stack.push({ value: v, path: [...path, k] });
      }
  }
  return errors;
}
