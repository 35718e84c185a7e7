// A shared informer factory, after client-go/informers.SharedInformerFactory:
// one informer per resource however many controllers ask for it, started
// together once every controller has registered its handlers.
// Leaves out: per-namespace or per-selector informers (none of ours need them).

import { Informer } from "../client/informer.ts";
import type { Client, GroupVersionResource } from "../client/interface.ts";
import type { KObject } from "../apimachinery/meta.ts";
import type { Activity } from "../utils/activity.ts";

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer>();
  private started = false;

  constructor(
    private readonly client: Client,
    private readonly activity: Activity,
  ) {}

  /** The one informer for gvr; created on first use. */
  for<T extends KObject>(gvr: GroupVersionResource): Informer<T> {
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KObject>(this.client, gvr);
      this.informers.set(key, inf);
      if (this.started) this.startOne(inf);
    }
    return inf as unknown as Informer<T>;
  }

  /** Lists and watches every informer asked for so far (and later ones at once). */
  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) this.startOne(inf);
  }

  private startOne(inf: Informer): void {
    // The initial list is in-flight work: settle() must wait for it.
    this.activity.begin();
    void inf.start().finally(() => this.activity.end());
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
  }
}
