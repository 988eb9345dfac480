/**
 * The LSM backend's settings from the scenario's Flink keys (scenario/config.ts): sizes are Flink's scaled to a
 * browser worker (÷ 256: a worker holds about what 1/256 of a TaskManager's managed memory would), block size and
 * counts as they are.
 */
import type { ResolvedConfig } from '../../scenario/types.ts';
import { DEFAULT_IO_COST } from './costModel.ts';
import type { LsmConfig } from './lsmBackend.ts';

export const BROWSER_SCALE = 256;

export function lsmConfigFrom(c: ResolvedConfig): LsmConfig {
  const scaled = (key: string): number => Math.max(64, Math.floor(c.bytes(key) / BROWSER_SCALE));
  return {
    writeBufferBytes: scaled('state.backend.rocksdb.writebuffer.size'),
    blockCacheBytes: scaled('state.backend.rocksdb.block.cache-size'),
    blockSize: c.bytes('state.backend.rocksdb.block.blocksize'),
    level0Trigger: c.int('state.backend.rocksdb.compaction.level0-file-num-compaction-trigger'),
    levelBaseBytes: scaled('state.backend.rocksdb.compaction.level.max-size-level-base'),
    levelMultiplier: 10,
    cost: DEFAULT_IO_COST,
    timerService: c.str('state.backend.rocksdb.timer-service.factory') === 'HEAP' ? 'HEAP' : 'ROCKSDB',
    incremental: c.bool('execution.checkpointing.incremental'),
  };
}
