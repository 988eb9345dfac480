/**
 * Mounts the lessons: opens the lesson or the lessons page the address asks for once the engine is ready, and
 * adds `lessons()` / `lessonState()` to the test bridge.
 */
import { useEffect, useRef } from 'react';
import { useLab } from '../store/index.ts';
import { installLessonBridge } from './bridge.ts';
import { LessonCard } from './LessonCard.tsx';
import { LessonsPage } from './LessonsPage.tsx';
import { openFromAddress } from './store.ts';

export function LessonHost() {
  const ready = useLab((s) => s.topology !== null);
  const started = useRef(false);
  useEffect(() => {
    installLessonBridge();
  }, []);
  useEffect(() => {
    if (!ready || started.current) return;
    started.current = true;
    openFromAddress(window.location.search)?.catch((err: unknown) =>
      useLab.getState().setNotice(err instanceof Error ? err.message : String(err)),
    );
  }, [ready]);
  return (
    <>
      <LessonCard />
      <LessonsPage />
    </>
  );
}
