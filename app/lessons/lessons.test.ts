/**
 * Every lesson walked to its end in Node, on the real engine, through the same runner the page uses: each
 * moment must happen, each highlight must name something in the job, each prediction must have 2-4 choices with
 * one correct answer, each action must work, and the text must link only known glossary terms.
 */
import { describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- the test drives the real engine in Node; app code never does
import { createEngine, type Engine, presetScenario } from '../../engine/engine.ts';
import type { FaultCommand, RuntimeEvent, StepKind, Topology } from '../../engine/protocol.ts';
import { getPreset } from '../../engine/scenario/presets.ts';
import { getLesson, LESSONS, lessonLink } from './catalog.ts';
import { highlightSelector, type LessonDriver, type Moved, perform, reach, rebuild } from './runner.ts';
import { isTermId, linkedTerms, plainText } from './text.ts';
import type { LessonHighlight } from './types.ts';

class EngineDriver implements LessonDriver {
  engine: Engine | null = null;
  private cursor = 0;
  private buffer: RuntimeEvent[] = [];
  acted: string[] = [];

  private get e(): Engine {
    if (this.engine === null) throw new Error('no engine loaded');
    return this.engine;
  }
  private use(e: Engine): void {
    this.engine = e;
    this.cursor = e.runtime.logEnd();
  }
  private collect(): Moved {
    const events = this.e.runtime.logSince(this.cursor).map((l) => l.event);
    this.cursor = this.e.runtime.logEnd();
    this.buffer.push(...events);
    return { time: this.e.now(), events, finished: this.e.isFinished() };
  }
  loadPreset(id: string): Promise<void> {
    if (this.engine !== null) this.acted.push(`preset ${id}`);
    const r = createEngine(presetScenario(id));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    this.use(r.engine);
    return Promise.resolve();
  }
  runTo(timeUs: number): Promise<Moved> {
    this.e.runUntil(timeUs);
    return Promise.resolve(this.collect());
  }
  stepTo(kind: Exclude<StepKind, 'event'>): Promise<Moved> {
    this.e.stepTo(kind, this.e.now() + 60_000_000);
    return Promise.resolve(this.collect());
  }
  now(): number {
    return this.e.now();
  }
  topology(): Topology | null {
    return this.engine?.topology() ?? null;
  }
  injectFault(fault: FaultCommand): Promise<void> {
    this.e.injectFault(fault);
    this.collect();
    this.acted.push(`fault ${fault.kind} ${fault.target}`);
    return Promise.resolve();
  }
  triggerCheckpoint(): Promise<void> {
    expect(this.e.triggerCheckpoint()).not.toBeNull();
    this.collect();
    this.acted.push('checkpoint');
    return Promise.resolve();
  }
  triggerSavepoint(): Promise<void> {
    expect(this.e.triggerSavepoint()).not.toBeNull();
    this.collect();
    this.acted.push('savepoint');
    return Promise.resolve();
  }
  savepoints(): number[] {
    return this.e.frame().checkpoints.savepoints.map((s) => s.id);
  }
  restartFromSavepoint(id: number, parallelism: Record<string, number>, tms?: number): Promise<void> {
    const r = this.e.restartFromSavepoint(id, parallelism, tms);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    this.use(r.engine);
    this.acted.push(`restart from ${id}`);
    return Promise.resolve();
  }
  takeEvents(): RuntimeEvent[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }
}

/** The highlighted element exists in the job's topology (the page draws one element per subtask, TM, ...). */
function assertTarget(h: LessonHighlight, t: Topology): void {
  if (h.kind === 'subtask') expect(t.subtasks.map((s) => s.name)).toContain(h.name);
  if (h.kind === 'vertex') expect(t.vertices.map((v) => v.id)).toContain(h.id);
  if (h.kind === 'taskManager') expect(t.taskManagers.map((m) => m.name)).toContain(h.name);
  if (h.kind === 'panel' && h.subtask !== undefined)
    expect(t.subtasks.map((s) => s.name)).toContain(h.subtask);
  expect(highlightSelector(h, t)).not.toBeNull();
}

/** What some steps claim, checked on the engine when the walk reaches them ("<lesson> <step>", 1-based). */
const CLAIMS: Record<string, (e: Engine) => void> = {
  'alignment 2': (e) => expect(e.frame().channelBlocked.some(Boolean)).toBe(true),
  'failure-recovery 5': (e) => expect(e.frame().status).toBe('RUNNING'),
  'exactly-once-vs-at-least-once 4': (e) => expect(e.correctness().sinks[0]?.duplicates).toBeGreaterThan(0),
  'two-phase-commit 4': (e) => {
    expect(e.correctness().sinks[0]).toMatchObject({ duplicates: 0, lost: 0 });
    expect(e.frame().sinks[0]?.aborted).toBeGreaterThan(0);
  },
  'unaligned-checkpoints 2': (e) => expect(e.frame().checkpoints.counts.failed).toBeGreaterThan(0),
  'unaligned-checkpoints 4': (e) => {
    expect(e.frame().checkpoints.counts.failed).toBe(0);
    expect(e.frame().checkpoints.unaligned).toBe(true);
  },
  'restart-strategies 2': (e) => expect(e.frame().status).toBe('RESTARTING'),
  'restart-strategies 4': (e) => expect(e.frame().status).toBe('FAILED'),
  'jobmanager-storage-limit 2': (e) => expect(e.frame().checkpoints.counts.failed).toBeGreaterThan(0),
  'savepoints-rescaling 4': (e) => expect(e.stateDetails(4).keyGroupRange).toEqual({ start: 86, end: 127 }),
  'savepoints-rescaling 5': (e) => expect(e.correctness().sinks[0]).toMatchObject({ duplicates: 0, lost: 0 }),
  'region-failover 2': (e) => expect(e.frame().subtaskAttempt.filter((a) => a > 0)).toHaveLength(4),
  'alignment 3': (e) => expect(e.frame().checkpoints.pending.length).toBeGreaterThan(0),
};

describe('lessons', () => {
  it('cover the ten topics of the issue, each on an existing preset, with unique ids', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const id of [
      'state-and-key-groups',
      'barriers',
      'alignment',
      'failure-recovery',
      'exactly-once-vs-at-least-once',
      'two-phase-commit',
      'unaligned-checkpoints',
      'restart-strategies',
      'savepoints-rescaling',
      'state-backends',
    ])
      expect(getLesson(id)?.id).toBe(id);
    for (const l of LESSONS) expect(getPreset(l.preset)?.id).toBe(l.preset);
    expect(lessonLink('barriers', 3)).toBe('?lesson=barriers&step=3');
  });

  it.each(LESSONS.map((l) => l.id))('%s: plain text, known terms, 2-4 choices with one correct', (id) => {
    const l = getLesson(id)!;
    expect(l.steps.length).toBeGreaterThanOrEqual(2);
    let predictions = 0;
    for (const s of l.steps) {
      for (const t of linkedTerms(s.text)) expect(isTermId(t), `${id}: unknown term ${t}`).toBe(true);
      // Short sentences: none over 32 words.
      for (const sentence of plainText(s.text).split(/(?<=[.:?!])\s+/))
        expect(sentence.split(/\s+/).length, `${id}: "${sentence}"`).toBeLessThanOrEqual(32);
      if (s.predict) {
        predictions++;
        expect(s.predict.choices.length).toBeGreaterThanOrEqual(2);
        expect(s.predict.choices.length).toBeLessThanOrEqual(4);
        expect(s.predict.choices.filter((c) => c.correct === true)).toHaveLength(1);
      }
    }
    expect(predictions).toBeGreaterThanOrEqual(1);
    // The first step explains at least one Flink term with a glossary link.
    expect(linkedTerms(l.steps[0]!.text).length).toBeGreaterThan(0);
  });

  it.each(LESSONS.map((l) => l.id))(
    '%s: walked to its end on the engine, every moment happens and every action works',
    async (id) => {
      const l = getLesson(id)!;
      const d = new EngineDriver();
      await d.loadPreset(l.preset);
      for (const [i, s] of l.steps.entries()) {
        const r = await reach(s.at, d);
        expect(r, `${id} step ${i + 1} (${s.title})`).toEqual({ ok: true });
        if (s.highlight) assertTarget(s.highlight, d.topology()!);
        CLAIMS[`${id} ${i + 1}`]?.(d.engine!);
        if (s.act) expect(await perform(s.act, d)).toEqual({ ok: true });
      }
      expect(d.acted.length).toBe(l.steps.filter((s) => s.act).length);
    },
  );

  it('rebuilding to a step lands on the same moment as walking there', async () => {
    const l = getLesson('failure-recovery')!;
    const walked = new EngineDriver();
    await rebuild(l, 0, walked);
    for (let i = 0; i < 3; i++) {
      if (l.steps[i]!.act) await perform(l.steps[i]!.act!, walked);
      await reach(l.steps[i + 1]!.at, walked);
    }
    const rebuilt = new EngineDriver();
    expect(await rebuild(l, 3, rebuilt)).toEqual({ ok: true });
    expect(rebuilt.engine!.traceHash()).toBe(walked.engine!.traceHash());
    expect(rebuilt.now()).toBe(walked.now());
  });
});
