import type { Vu } from "../context.js";

/**
 * One scenario's VUs: `preAllocated` made up front, grown on demand up to `max`. An arrival-rate
 * iteration that finds no free VU when the pool is at `max` is dropped by the caller.
 */
export class VuPool {
  private readonly free: Vu[] = [];
  private allocatedCount = 0;
  private busyCount = 0;

  constructor(
    private readonly nextVuId: () => number,
    preAllocated: number,
    private readonly max: number,
  ) {
    for (let index = 0; index < preAllocated; index += 1) this.free.push(this.allocate());
  }

  get allocated(): number {
    return this.allocatedCount;
  }

  get busy(): number {
    return this.busyCount;
  }

  /** A free VU (allocating one if below max), or undefined when all `max` are busy. */
  acquire(): Vu | undefined {
    const vu = this.free.pop() ?? (this.allocatedCount < this.max ? this.allocate() : undefined);
    if (vu) this.busyCount += 1;
    return vu;
  }

  release(vu: Vu): void {
    this.busyCount -= 1;
    this.free.push(vu);
  }

  private allocate(): Vu {
    this.allocatedCount += 1;
    return { idInTest: this.nextVuId(), iterations: 0 };
  }
}
