/** The lesson runner's driver on the page: every move and action goes through the engine client (the worker). */
import type { Frame, RuntimeEvent, StepKind } from '../../engine/protocol.ts';
import { engineClient } from '../engineClient.ts';
import { useLab } from '../store/index.ts';
import { liveFrames } from '../store/liveFrames.ts';
import type { LessonDriver, Moved } from './runner.ts';

export class AppDriver implements LessonDriver {
  private buffer: RuntimeEvent[] = [];

  private seen(frame: Frame): Moved {
    const events = frame.log.map((l) => l.event);
    this.buffer.push(...events);
    return { time: frame.time, events, finished: frame.finished };
  }

  async loadPreset(id: string): Promise<void> {
    const r = await engineClient.loadPreset(id);
    if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.buffer = [];
  }
  async runTo(timeUs: number): Promise<Moved> {
    return this.seen(await engineClient.runTo(timeUs));
  }
  async stepTo(kind: Exclude<StepKind, 'event'>): Promise<Moved> {
    return this.seen(await engineClient.stepTo(kind));
  }
  now(): number {
    return liveFrames.getState().latest?.time ?? 0;
  }
  topology() {
    return useLab.getState().topology;
  }
  async injectFault(fault: Parameters<typeof engineClient.injectFault>[0]): Promise<void> {
    this.seen(await engineClient.injectFault(fault));
  }
  async triggerCheckpoint(): Promise<void> {
    this.seen(await engineClient.triggerCheckpoint());
  }
  async triggerSavepoint(): Promise<void> {
    this.seen(await engineClient.triggerSavepoint());
  }
  savepoints(): number[] {
    return (liveFrames.getState().latest?.checkpoints.savepoints ?? []).map((s) => s.id);
  }
  async restartFromSavepoint(
    id: number,
    parallelism: Record<string, number>,
    taskManagers?: number,
  ): Promise<void> {
    const r = await engineClient.restartFromSavepoint(id, parallelism, taskManagers);
    if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.buffer = [];
  }
  takeEvents(): RuntimeEvent[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }
}
