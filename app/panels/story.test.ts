import { describe, expect, it } from 'vitest';
import type { LogEntry, RuntimeEvent } from '../../engine/protocol.ts';
import { appendStory, markOf } from '../panels/logRows.ts';

function entry(
  time: number,
  event: RuntimeEvent,
  story: boolean,
  text = `${event.kind} at ${time}`,
): LogEntry {
  return { time, kind: 'checkpoint', subtask: null, text, event, story, detail: null };
}

const completed = (id: number, type: 'CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT'): RuntimeEvent => ({
  kind: 'checkpoint-completed',
  checkpointId: id,
  checkpointType: type,
  subtasks: 6,
  stateSize: 100,
  durationUs: 80_000,
});

describe('markOf', () => {
  it('classifies by event kind, never by text', () => {
    // The text says "FAILED" but the event is a completed savepoint: the event wins.
    expect(markOf(entry(1, completed(3, 'SAVEPOINT'), true, 'Checkpoint 3 FAILED'))?.kind).toBe('savepoint');
    expect(markOf(entry(1, completed(3, 'SYNC_SAVEPOINT'), true))?.kind).toBe('savepoint');
    expect(markOf(entry(1, completed(4, 'CHECKPOINT'), true, 'savepoint'))?.kind).toBe('completed');
    const failed: RuntimeEvent = {
      kind: 'checkpoint-failed',
      checkpointId: 5,
      checkpointType: 'CHECKPOINT',
      reason: 'IO_EXCEPTION',
      message: 'x',
      counted: true,
    };
    expect(markOf(entry(1, failed, true))?.kind).toBe('failed');
    expect(
      markOf(entry(1, { kind: 'fault-injected', fault: 'fail-task', target: 'map#0' }, true))?.kind,
    ).toBe('fault');
    expect(markOf(entry(1, { kind: 'running-again', restarts: 1 }, true))?.kind).toBe('recovery');
    expect(
      markOf(
        entry(1, { kind: 'restoring', checkpointId: 2, isSavepoint: false, subtasks: 6, bytes: 9 }, true),
      )?.kind,
    ).toBe('recovery');
    expect(
      markOf(
        entry(
          1,
          { kind: 'notice', subtask: null, category: 'fault', text: '' },
          true,
          'Checkpoint 1 COMPLETED',
        ),
      ),
    ).toBe(null);
  });
});

describe('appendStory', () => {
  const note = (t: number, story: boolean, text?: string) =>
    entry(t, { kind: 'notice', subtask: null, category: 'job', text: '' }, story, text);

  it('keeps only story lines and skips lines a rebuilt run hands back again', () => {
    const a = appendStory([], [note(1, true), note(2, false), note(3, true, 'x'), note(3, true, 'y')]);
    expect(a.map((e) => e.text)).toEqual(['notice at 1', 'x', 'y']);
    // A seek rebuilds the run and hands back its recent log, including lines already kept.
    const b = appendStory(a, [
      note(1, true),
      note(3, true, 'x'),
      note(3, true, 'y'),
      note(3, true, 'z'),
      note(4, true),
    ]);
    expect(b.map((e) => e.text)).toEqual(['notice at 1', 'x', 'y', 'z', 'notice at 4']);
    expect(appendStory(b, [note(2, false)])).toBe(b);
  });
});

describe('the story of a long run', () => {
  it('keeps every story line while detail lines come and go', () => {
    let story: LogEntry[] = [];
    for (let t = 1; t <= 5000; t++) {
      const lines = [entry(t * 10, { kind: 'notice', subtask: null, category: 'barrier', text: '' }, false)];
      if (t % 10 === 0) lines.push(entry(t * 10, completed(t / 10, 'CHECKPOINT'), true));
      story = appendStory(story, lines);
    }
    expect(story).toHaveLength(500);
    expect(story[0]?.time).toBe(100);
    expect(story[story.length - 1]?.time).toBe(50_000);
  });
});
