// flannel's pieces: host-local IPAM and the CNI plugin's dependency on flanneld.

import { describe, expect, it } from "vitest";
import { FlannelCNI } from "../../src/flannel/cni.ts";
import type { Flanneld } from "../../src/flannel/flanneld.ts";
import { HostLocalIPAM } from "../../src/flannel/ipam.ts";
import { Host } from "../../src/host/host.ts";
import { FakeClock } from "../../src/utils/clock.ts";

describe("flannel", () => {
  it("hands out .2 upward and does not reuse a released address at once (host-local)", () => {
    const ipam = new HostLocalIPAM("10.244.1.0/24");
    expect(ipam.gateway).toBe("10.244.1.1");
    expect(ipam.allocate("a")).toBe("10.244.1.2");
    expect(ipam.allocate("b")).toBe("10.244.1.3");
    expect(ipam.allocate("a")).toBe("10.244.1.2");
    ipam.release("a");
    expect(ipam.allocate("c")).toBe("10.244.1.4");
  });

  it("fails CNI ADD until flanneld has written subnet.env, then brings up cni0", () => {
    const host = new Host("node01", "172.30.2.2", new FakeClock());
    const flanneld = { subnetEnv: null } as unknown as Flanneld;
    const cni = new FlannelCNI(host, flanneld);
    expect(() => cni.add("pod-1")).toThrow("open /run/flannel/subnet.env: no such file or directory");
    (flanneld as { subnetEnv: unknown }).subnetEnv = { network: "10.244.0.0/16", subnet: "10.244.1.1/24", mtu: 1450, ipmasq: true };
    expect(cni.add("pod-1").ip).toBe("10.244.1.2");
    expect(host.interfaces().find((i) => i.name === "cni0")?.cidr).toBe("10.244.1.1/24");
    cni.del("pod-1");
    expect(cni.allocated().size).toBe(0);
  });
});
