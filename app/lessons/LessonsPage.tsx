/** The lessons page: every lesson with its progress (kept in this browser), a link, and start / continue. */
import { Dialog } from '../controls/Dialog.tsx';
import { Term } from '../glossary/Term.tsx';
import { LESSONS, lessonLink } from './catalog.ts';
import { useLessons } from './store.ts';
import './lessons.css';

export function LessonsButton() {
  const open = useLessons((s) => s.openCatalog);
  return (
    <button type="button" className="lessons-button" data-testid="lessons-button" onClick={() => open(true)}>
      Lessons
    </button>
  );
}

export function LessonsPage() {
  const s = useLessons();
  if (!s.catalogOpen) return null;
  const finished = LESSONS.filter((l) => s.progress[l.id]?.done).length;
  return (
    <Dialog title="Lessons" onClose={() => s.openCatalog(false)} testId="lessons-page">
      <p className="muted lessons-intro">
        Each lesson runs a job, stops at the moments that matter, asks you to predict what happens next, and
        lets you act on the job yourself. {finished} of {LESSONS.length} done; progress stays in this browser.
      </p>
      <ol className="lessons-list">
        {LESSONS.map((l, i) => {
          const p = s.progress[l.id];
          const seen = p?.furthest ?? 0;
          const status = p?.done ? 'done' : seen > 0 ? 'started' : 'new';
          return (
            <li key={l.id} className={`lesson-item ${status}`} data-testid="lesson-item" data-lesson={l.id}>
              <div className="lesson-item-main">
                <span className="lesson-num" aria-hidden="true">
                  {p?.done ? '✓' : i + 1}
                </span>
                <div>
                  <h3>
                    <a
                      href={lessonLink(l.id, 1, window.location.pathname)}
                      onClick={(e) => {
                        e.preventDefault();
                        void s.open(l.id, p?.done ? 0 : Math.max(0, seen - 1));
                      }}
                    >
                      {l.title}
                    </a>
                  </h3>
                  <p className="lesson-summary">{l.summary}</p>
                  <p className="lesson-terms small muted">
                    {l.terms.map((t, j) => (
                      <span key={t}>
                        {j > 0 && ' · '}
                        <Term id={t} />
                      </span>
                    ))}
                  </p>
                </div>
              </div>
              <div className="lesson-item-side">
                <div
                  className="lesson-meter"
                  role="progressbar"
                  aria-label={`${l.title}: progress`}
                  aria-valuemin={0}
                  aria-valuemax={l.steps.length}
                  aria-valuenow={p?.done ? l.steps.length : seen}
                >
                  <span style={{ width: `${((p?.done ? l.steps.length : seen) / l.steps.length) * 100}%` }} />
                </div>
                <span className="small muted" data-testid="lesson-progress">
                  {p?.done
                    ? 'done'
                    : seen > 0
                      ? `step ${seen} of ${l.steps.length}`
                      : `${l.steps.length} steps`}
                </span>
                <div className="lesson-item-actions">
                  {status === 'started' && (
                    <button type="button" className="primary" onClick={() => void s.open(l.id, seen - 1)}>
                      Continue
                    </button>
                  )}
                  <button
                    type="button"
                    className={status === 'started' ? '' : 'primary'}
                    data-testid="lesson-start"
                    onClick={() => void (status === 'new' ? s.open(l.id, 0) : s.restart(l.id))}
                  >
                    {status === 'new' ? 'Start' : 'Start again'}
                  </button>
                </div>
              </div>
            </li>
          );
        })}
      </ol>
      {finished + LESSONS.filter((l) => (s.progress[l.id]?.furthest ?? 0) > 0).length > 0 && (
        <button type="button" className="link-button small" onClick={s.resetProgress}>
          Forget my progress
        </button>
      )}
    </Dialog>
  );
}
