/**
 * StatusWatermarkValve (flink-streaming-java, StatusWatermarkValve): per input channel it tracks the watermark and
 * the watermark status (idle/active); it outputs the minimum watermark over the aligned, active channels, and
 * idleness when every channel is idle (then the maximum watermark of all channels, as Flink does).
 */
import type { Channel } from './channel.ts';

/** Where the valve's output goes: the task's head operator and record writer. */
export interface ValveOutput {
  valveWatermark(wm: number): void;
  valveStatus(idle: boolean): void;
}

export class StatusWatermarkValve {
  lastOutputWatermark = Number.MIN_SAFE_INTEGER;
  outputIdle = false;

  constructor(
    private readonly channels: readonly Channel[],
    private readonly output: ValveOutput,
  ) {}

  reset(): void {
    this.lastOutputWatermark = Number.MIN_SAFE_INTEGER;
    this.outputIdle = false;
  }

  inputWatermark(ch: Channel, wm: number): void {
    if (ch.idle) return;
    if (wm > ch.watermark) {
      ch.watermark = wm;
      if (!ch.aligned && wm >= this.lastOutputWatermark) ch.aligned = true;
      this.outputMinWatermark();
    }
  }

  inputStatus(ch: Channel, idle: boolean): void {
    if (idle && !ch.idle) {
      ch.idle = true;
      ch.aligned = false;
      if (this.channels.every((c) => c.idle)) {
        let max = Number.MIN_SAFE_INTEGER;
        for (const c of this.channels) if (c.watermark > max) max = c.watermark;
        if (max > this.lastOutputWatermark) this.advance(max);
        if (!this.outputIdle) {
          this.outputIdle = true;
          this.output.valveStatus(true);
        }
      } else {
        this.outputMinWatermark();
      }
    } else if (!idle && ch.idle) {
      ch.idle = false;
      if (ch.watermark >= this.lastOutputWatermark) ch.aligned = true;
      if (this.outputIdle) {
        this.outputIdle = false;
        this.output.valveStatus(false);
      }
    }
  }

  /**
   * A finished channel (end of partition) no longer holds the watermark back: Flink's valve treats it as if it had
   * sent Watermark.MAX (StatusWatermarkValve with finished inputs / EndOfPartitionEvent handling).
   */
  inputFinished(ch: Channel, maxWatermark: number): void {
    ch.idle = false;
    ch.aligned = true;
    if (maxWatermark > ch.watermark) ch.watermark = maxWatermark;
    this.outputMinWatermark();
  }

  private outputMinWatermark(): void {
    let min = Infinity;
    let any = false;
    for (const c of this.channels) {
      if (c.aligned && !c.idle) {
        any = true;
        if (c.watermark < min) min = c.watermark;
      }
    }
    if (any && min > this.lastOutputWatermark) this.advance(min);
  }

  private advance(wm: number): void {
    this.lastOutputWatermark = wm;
    this.output.valveWatermark(wm);
  }
}
