/** Lesson text: plain sentences with glossary links written [[term-id]] or [[term-id|shown words]]. */
import { TERMS, type TermId } from '../glossary/terms.ts';

export type TextPart = { kind: 'text'; text: string } | { kind: 'term'; id: TermId; words: string };

const LINK = /\[\[([a-z-]+)(?:\|([^\]]+))?\]\]/g;

export function isTermId(id: string): id is TermId {
  return Object.hasOwn(TERMS, id);
}

/** Splits lesson text into plain runs and glossary links (an unknown id stays plain text). */
export function parseLessonText(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    const at = m.index;
    if (at > last) parts.push({ kind: 'text', text: text.slice(last, at) });
    const id = m[1] ?? '';
    const words = m[2] ?? (isTermId(id) ? TERMS[id].term.toLowerCase() : id);
    parts.push(isTermId(id) ? { kind: 'term', id, words } : { kind: 'text', text: words });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The text as a reader sees it (links replaced by their words). */
export function plainText(text: string): string {
  return parseLessonText(text)
    .map((p) => (p.kind === 'text' ? p.text : p.words))
    .join('');
}

/** Term ids linked in the text, in order. */
export function linkedTerms(text: string): string[] {
  return [...text.matchAll(LINK)].map((m) => m[1] ?? '');
}
