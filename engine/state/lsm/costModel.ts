/**
 * The virtual time an IndexedDB operation of the LSM backend takes (DESIGN: IndexedDB never decides ordering; an
 * operation completes at the virtual time this model gives and the engine awaits the real promise before passing
 * it). Integer microseconds.
 *
 * Calibration: from the medians measured in headless Chromium 156 on this 2-core machine (shared/TOOLCHAIN.md,
 * "Measured limits"), not from a run of this backend:
 * - put, 1 per transaction: ~3.3 k/s -> ~300 us per (transaction + request);
 * - put, 100+ per transaction: ~33 k/s -> ~30 us per request, so a transaction costs ~270 us on its own;
 * - get, batched / 1 per transaction: ~34 k/s / ~3.7 k/s -> ~29 us per request, ~240 us per transaction;
 * - getAll of 100k records ~570 ms (~5.7 us per record) and a 1 MB ArrayBuffer copy ~0.5 ms (~2 GB/s): per-byte
 *   costs are small next to request costs. The byte rates below (100 bytes per us written = 100 MB/s, 200 per us
 *   read) are an assumption of that order (structured clone plus LevelDB write of large values), not a measurement.
 */
export interface IoCostModel {
  /** Fixed cost of one transaction (us). */
  readonly transactionUs: number;
  /** Per put / get / delete request (us). */
  readonly requestUs: number;
  /** Bytes written per us. */
  readonly writeBytesPerUs: number;
  /** Bytes read per us. */
  readonly readBytesPerUs: number;
}

export const DEFAULT_IO_COST: IoCostModel = {
  transactionUs: 270,
  requestUs: 30,
  writeBytesPerUs: 100,
  readBytesPerUs: 200,
};

/** A model where I/O takes no virtual time (tests: the backend alone must not change the run). */
export const ZERO_IO_COST: IoCostModel = {
  transactionUs: 0,
  requestUs: 0,
  writeBytesPerUs: Number.POSITIVE_INFINITY,
  readBytesPerUs: Number.POSITIVE_INFINITY,
};

/** Virtual time of one transaction with `requests` requests moving `bytes` bytes. */
export function ioTimeUs(m: IoCostModel, requests: number, bytes: number, write: boolean): number {
  if (requests === 0) return 0;
  const rate = write ? m.writeBytesPerUs : m.readBytesPerUs;
  const perByte = rate === Number.POSITIVE_INFINITY ? 0 : Math.ceil(bytes / rate);
  return m.transactionUs + requests * m.requestUs + perByte;
}
