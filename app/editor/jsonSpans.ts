/**
 * Where each value of a JSON text sits: path (engine notation, see ./scenarioDocument.ts formatPath) -> the span
 * of the value and of its key. Lets the JSON view put the engine's validation errors on the exact text. Tolerant:
 * stops at the first syntax error and returns what it found so far.
 */
import { formatPath } from './scenarioDocument.ts';

export interface Span {
  /** The value. */
  from: number;
  to: number;
  /** The property name of an object member (its quotes included), else the value again. */
  keyFrom: number;
  keyTo: number;
}

export function jsonSpans(text: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: (string | number)[], keyFrom: number, keyTo: number): void => {
    ws();
    const from = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (i < text.length && text[i] !== '}') {
        ws();
        if (text[i] !== '"') throw new Error('key expected');
        const kFrom = i;
        const key = str();
        const kTo = i;
        ws();
        if (text[i] !== ':') throw new Error('colon expected');
        i++;
        value([...path, key], kFrom, kTo);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') throw new Error('comma expected');
        ws();
      }
      i++;
    } else if (c === '[') {
      i++;
      ws();
      let n = 0;
      while (i < text.length && text[i] !== ']') {
        value([...path, n], -1, -1);
        n++;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') throw new Error('comma expected');
        ws();
      }
      i++;
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && /[^\s,\]}]/.test(text[i] ?? '')) i++;
      if (i === from) throw new Error('value expected');
    }
    const to = Math.min(i, text.length);
    spans.set(formatPath(path), {
      from,
      to,
      keyFrom: keyFrom < 0 ? from : keyFrom,
      keyTo: keyTo < 0 ? to : keyTo,
    });
  };
  try {
    value([], -1, -1);
  } catch {
    // A syntax error: the JSON parser reports it; keep the spans found before it.
  }
  return spans;
}

/**
 * The text range an error at `path` belongs on: the value at the path, or for a missing or unknown key the
 * nearest existing ancestor (an unknown key itself exists, so its key is marked).
 */
export function spanOf(spans: Map<string, Span>, path: string, segments: (string | number)[]): Span | null {
  const exact = spans.get(path);
  if (exact) return exact;
  for (let n = segments.length - 1; n >= 0; n--) {
    const s = spans.get(formatPath(segments.slice(0, n)));
    if (s) return { from: s.keyFrom, to: s.keyTo, keyFrom: s.keyFrom, keyTo: s.keyTo };
  }
  return null;
}
