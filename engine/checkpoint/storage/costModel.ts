/**
 * The virtual time IndexedDB work takes (DESIGN: an IndexedDB completion happens at a virtual time given by a cost
 * model, never at the real time). IndexedDB costs per transaction and per request far more than per byte
 * (`/work/shared/TOOLCHAIN.md`, measured in headless Chromium on this machine: one put per transaction about 3.3 k/s,
 * so about 300 µs a transaction; 100+ puts per transaction about 33 k/s, so about 30 µs a request). The bytes
 * themselves move at the scenario's upload bandwidth (sim.stateBandwidth), as with the JobManager storage.
 */

export const IDB_TRANSACTION_US = 300;
export const IDB_REQUEST_US = 30;

/** Virtual µs to write `requests` values of `bytes` in total in one transaction at `bytesPerUs`. */
export function idbWriteUs(requests: number, bytes: number, bytesPerUs: number): number {
  const transfer = Math.max(1, Math.ceil(bytes / Math.max(1, bytesPerUs)));
  if (requests === 0) return transfer;
  return IDB_TRANSACTION_US + requests * IDB_REQUEST_US + transfer;
}
