// Counts a cluster's in-flight work (queued keys, running syncs) so tests and
// benchmarks can wait until the control plane is quiet after stepping the
// clock, instead of sleeping. Real clusters have no such thing; an emulator
// that steps time needs it.

export class Activity {
  private busy = 0;

  begin(): void {
    this.busy++;
  }

  end(): void {
    this.busy--;
  }

  get idle(): boolean {
    return this.busy === 0;
  }

  /**
   * Resolves once no work is in flight across a full turn of the event loop.
   * Promise chains of in-process API calls run on microtasks, which finish
   * before setImmediate fires, so two idle turns in a row mean quiet.
   */
  async settle(maxTurns = 1_000_000): Promise<void> {
    let quiet = 0;
    for (let i = 0; i < maxTurns; i++) {
      await new Promise<void>((r) => setImmediate(r));
      if (this.idle) {
        if (++quiet >= 2) return;
      } else quiet = 0;
    }
    throw new Error("cluster did not settle");
  }
}
