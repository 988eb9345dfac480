import { describe, expect, it } from 'vitest';
import { JM_MAX_STATE_SIZE, JobManagerCheckpointStorage } from './checkpointStorage.ts';

describe('JobManagerCheckpointStorage (reference 3.3)', () => {
  it('accepts states up to 5 MiB each and reports the bytes written', () => {
    const s = new JobManagerCheckpointStorage();
    expect(s.upload(1, 'a#0', [JM_MAX_STATE_SIZE, 10])).toEqual({ ok: true, bytes: JM_MAX_STATE_SIZE + 10 });
  });

  it('refuses a single state above 5 MiB with Flink’s message', () => {
    const r = new JobManagerCheckpointStorage().upload(1, 'a#0', [10, JM_MAX_STATE_SIZE + 1]);
    expect(r).toEqual({
      ok: false,
      reason: 'CHECKPOINT_ASYNC_EXCEPTION',
      message:
        'Size of the state is larger than the maximum permitted memory-backed state. Size=5242881 , maxSize=5242880. Consider using a different checkpoint storage, like the FileSystemCheckpointStorage.',
    });
  });

  it('fails exactly the next N uploads when told to', () => {
    const s = new JobManagerCheckpointStorage();
    s.failNextUploads(2);
    expect(s.upload(1, 'a#0', [1]).ok).toBe(false);
    expect(s.upload(1, 'a#1', [1]).ok).toBe(false);
    expect(s.upload(1, 'a#2', [1]).ok).toBe(true);
  });
});
