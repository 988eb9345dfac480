/**
 * The cluster (DESIGN: cluster/): TaskManagers with their slots, the slot pool of the job (slot sharing: subtask i
 * of every vertex shares slot i; a shared slot maps to a physical slot tm * slotsPerTaskManager + s), and
 * TaskManager liveness as the JobManager sees it.
 */
export class Cluster {
  /** TaskManager liveness (the process), and the physical slot of each shared slot (null: not allocated). */
  readonly taskManagerAlive: boolean[];
  private readonly sharedSlots: (number | null)[];
  /** A dead TaskManager the JobManager has not noticed yet: the virtual time it will. */
  readonly detectAtUs: (number | null)[];

  constructor(
    taskManagers: number,
    readonly slotsPerTaskManager: number,
    slotsNeeded: number,
  ) {
    this.taskManagerAlive = Array.from({ length: taskManagers }, () => true);
    this.detectAtUs = Array.from({ length: taskManagers }, () => null);
    const total = taskManagers * slotsPerTaskManager;
    this.sharedSlots = Array.from({ length: slotsNeeded }, (_, i) => (i < total ? i : null));
  }

  get liveTaskManagers(): number {
    let n = 0;
    for (const a of this.taskManagerAlive) if (a) n++;
    return n;
  }

  /** The TaskManager that hosts shared slot `subtaskIndex` (it must be allocated). */
  taskManagerOf(subtaskIndex: number): number {
    return Math.floor((this.sharedSlots[subtaskIndex] as number) / this.slotsPerTaskManager);
  }

  /** Physical slots of live TaskManagers that no shared slot uses, in (TaskManager, slot) order. */
  private freeSlots(): number[] {
    const spt = this.slotsPerTaskManager;
    const used = new Set<number>();
    for (const s of this.sharedSlots) if (s !== null) used.add(s);
    const free: number[] = [];
    for (let tm = 0; tm < this.taskManagerAlive.length; tm++) {
      if (!this.taskManagerAlive[tm]) continue;
      for (let s = 0; s < spt; s++) if (!used.has(tm * spt + s)) free.push(tm * spt + s);
    }
    return free;
  }

  /** Slots that would be missing to allocate the shared slots of these subtask indices (0: they fit). */
  missingSlots(subtaskIndices: Iterable<number>): { needed: number; available: number } {
    const needed = new Set<number>();
    for (const i of subtaskIndices) if (this.sharedSlots[i] === null) needed.add(i);
    return { needed: needed.size, available: this.freeSlots().length };
  }

  /**
   * Allocates a shared slot for every subtask index the tasks need. Returns false, allocating nothing, when the
   * live TaskManagers have too few free slots.
   */
  allocate(subtaskIndices: Iterable<number>): boolean {
    const needed = new Set<number>();
    for (const i of subtaskIndices) if (this.sharedSlots[i] === null) needed.add(i);
    const free = this.freeSlots();
    if (free.length < needed.size) return false;
    [...needed].sort((a, b) => a - b).forEach((i, k) => (this.sharedSlots[i] = free[k] as number));
    return true;
  }

  /** The TaskManager process dies: its slots are gone (the JobManager notices at `detectAt`). */
  kill(tm: number, detectAt: number | null): void {
    this.taskManagerAlive[tm] = false;
    this.detectAtUs[tm] = detectAt;
    const spt = this.slotsPerTaskManager;
    for (let i = 0; i < this.sharedSlots.length; i++) {
      const slot = this.sharedSlots[i];
      if (slot !== null && slot !== undefined && Math.floor(slot / spt) === tm) this.sharedSlots[i] = null;
    }
  }

  /** The JobManager noticed the loss of `tm`. */
  detected(tm: number): void {
    this.detectAtUs[tm] = null;
  }

  /** A TaskManager (re)registers with all its slots free. */
  register(tm: number): void {
    this.taskManagerAlive[tm] = true;
    this.detectAtUs[tm] = null;
  }
}
