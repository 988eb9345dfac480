import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine.ts';
import { decodeLink, encodeLink } from './linkCodec.ts';
import { replayRun } from './replayRun.ts';
import { sessionRun } from './testRuns.ts';

const advance = (e: Engine, t: number) => {
  e.runUntil(t);
  return Promise.resolve(true);
};

describe('replayRun', () => {
  it('rebuilds a run with a fault, a savepoint, a rescale and single steps to the same trace hash', async () => {
    const { run, engine } = sessionRun();
    const decoded = decodeLink(encodeLink(run));
    if (!decoded.ok) throw new Error(decoded.message);
    const r = await replayRun(decoded.run, advance);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.restarts).toBe(1);
    expect(r.engine.now()).toBe(engine.now());
    expect(r.engine.runtime.kernel.processed).toBe(engine.runtime.kernel.processed);
    expect(r.engine.traceHash()).toBe(engine.traceHash());
    expect(r.engine.topology().operators.find((o) => o.id === 'counter')?.parallelism).toBe(3);
    // Headless (the CLI: no engine snapshots) gives the same hash too.
    const headless = await replayRun(decoded.run, advance, { timeTravel: false });
    expect(headless.ok && headless.engine.traceHash()).toBe(engine.traceHash());
    // Without the event count the replay would run every event of that instant: the count matters.
    const byTime = await replayRun({ ...decoded.run, playhead: { timeUs: run.playhead.timeUs } }, advance);
    expect(byTime.ok && byTime.engine.traceHash()).not.toBe(engine.traceHash());
  });

  it('a playhead without an event count runs to the time', async () => {
    const { run } = sessionRun();
    const r = await replayRun({ ...run, playhead: { timeUs: 25_000_000 } }, advance);
    expect(r.ok && r.engine.now()).toBe(25_000_000);
  });

  it('a restart from a savepoint that does not exist is an error naming the segment', async () => {
    const { run } = sessionRun();
    const seg = run.segments[1]!;
    const bad = {
      ...run,
      segments: [run.segments[0]!, { ...seg, restart: { ...seg.restart!, savepointId: 99 } }],
    };
    const r = await replayRun(bad, advance);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.path).toBe('segments[1].restart.savepoint');
  });

  it('a cancelled advance stops the replay where it got to', async () => {
    const { run } = sessionRun();
    const r = await replayRun(run, () => Promise.resolve(false));
    expect(r.ok && r.cancelled).toBe(true);
  });
});
