/**
 * Two tabs on one checkpoint directory (issue 9, bad conditions): every job writes only below its own job
 * directory, and holds an exclusive Web Lock named after it for as long as it runs (`navigator.locks`, available in
 * workers; the lock is released when the worker or tab goes away, even when it is killed). Work on another job's
 * files — removing the orphans of a crashed run, claiming a snapshot (CLAIM mode) — happens only while holding that
 * job's lock, so it never touches a job that is alive in another tab. Node (CLI, tests) has no Web Locks: an
 * in-process lock manager with the same semantics stands in.
 */

export interface LockService {
  readonly kind: 'web-locks' | 'in-process';
  /** Takes the exclusive lock `name` and holds it until the returned release function is called. */
  hold(name: string): Promise<() => void>;
  /** Runs `fn` holding `name` if nobody else holds it; returns false (without running it) when it is held. */
  tryWith(name: string, fn: () => Promise<void>): Promise<boolean>;
}

interface WebLockManager {
  request(
    name: string,
    options: { mode?: 'exclusive' | 'shared'; ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

/** The lock of a job directory (`indexeddb://<db>/<job-id>`). */
export function lockName(jobPath: string): string {
  return `checkpoint-lab:${jobPath}`;
}

class WebLocks implements LockService {
  readonly kind = 'web-locks';
  constructor(private readonly locks: WebLockManager) {}

  hold(name: string): Promise<() => void> {
    return new Promise((resolveHeld) => {
      void this.locks.request(name, { mode: 'exclusive' }, () => {
        return new Promise<void>((release) => resolveHeld(() => release()));
      });
    });
  }

  async tryWith(name: string, fn: () => Promise<void>): Promise<boolean> {
    let ran = false;
    await this.locks.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
      if (lock === null) return;
      ran = true;
      await fn();
    });
    return ran;
  }
}

/** Web Locks semantics within one JavaScript realm (Node has no navigator.locks). */
export class InProcessLocks implements LockService {
  readonly kind = 'in-process';
  private readonly held = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();

  async hold(name: string): Promise<() => void> {
    while (this.held.has(name)) {
      await new Promise<void>((r) => {
        const list = this.waiters.get(name) ?? [];
        list.push(r);
        this.waiters.set(name, list);
      });
    }
    this.held.add(name);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held.delete(name);
      this.waiters.get(name)?.shift()?.();
    };
  }

  async tryWith(name: string, fn: () => Promise<void>): Promise<boolean> {
    if (this.held.has(name)) return false;
    const release = await this.hold(name);
    try {
      await fn();
    } finally {
      release();
    }
    return true;
  }
}

const shared = new InProcessLocks();

/** navigator.locks where the runtime has it (browsers, workers), else the in-process fallback. */
export function defaultLocks(): LockService {
  const nav = (globalThis as { navigator?: { locks?: WebLockManager } }).navigator;
  return nav?.locks ? new WebLocks(nav.locks) : shared;
}
