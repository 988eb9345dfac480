/** Lesson text with its glossary links (hover or tap a dotted word for its definition). */
import { Term } from '../glossary/Term.tsx';
import { parseLessonText } from './text.ts';

export function LessonText({ text }: { text: string }) {
  return (
    <>
      {parseLessonText(text).map((p, i) =>
        p.kind === 'text' ? (
          <span key={i}>{p.text}</span>
        ) : (
          <Term key={i} id={p.id}>
            {p.words}
          </Term>
        ),
      )}
    </>
  );
}
