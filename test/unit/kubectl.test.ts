// The emulated kubectl in process, over the in-process transport straight
// into the apiserver's REST handler: flag errors, the legacy `run` switch,
// `get -w`, delete's wait, logs errors and what users see in each case.

import { beforeEach, describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { captureIO } from "../../src/utils/command.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

let api: APIServer;
let client: Client;
let clock: FakeClock;

async function kubectl(args: string[], env: Record<string, string> = {}, signal?: AbortSignal) {
  const io = captureIO({ env: { HOME: "/nonexistent", ...env }, ...(signal ? { signal } : {}) });
  const code = await kubectlMain(args, io, { transport: inProcessTransport(api), now: () => clock.now() });
  return { code, out: io.out(), err: io.err() };
}

/** Lets in-flight requests and watch events run (no time passes). */
async function drain(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
}

beforeEach(async () => {
  clock = new FakeClock();
  api = new APIServer({ clock, rand: seededRand(1), version: "v1.32.4" });
  client = inProcessClient(api, { user: "test" });
  await client.resource(GVR.namespaces).create({ metadata: { name: "default" } } as KObject);
});

describe("kubectl flags", () => {
  it("rejects --replicas on run as kubectl 1.32 does", async () => {
    expect(await kubectl(["run", "web", "--image=nginx", "--replicas=2"])).toEqual({
      code: 1,
      out: "",
      err: "error: unknown flag: --replicas\nSee 'kubectl run --help' for usage.\n",
    });
  });

  it("reports unknown shorthands, missing values and bad booleans with pflag's words", async () => {
    expect((await kubectl(["get", "pods", "-Ax"])).err).toBe("error: unknown shorthand flag: 'x' in -Ax\nSee 'kubectl get --help' for usage.\n");
    expect((await kubectl(["get", "pods", "--namespace"])).err).toBe("error: flag needs an argument: --namespace\nSee 'kubectl get --help' for usage.\n");
    expect((await kubectl(["get", "pods", "--all-namespaces=maybe"])).err).toBe(
      'error: invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'kubectl get --help\' for usage.\n',
    );
  });

  it("accepts global flags anywhere and -n in every spelling", async () => {
    await client.resource(GVR.namespaces).create({ metadata: { name: "team" } } as KObject);
    for (const args of [["-n", "team", "get", "pods"], ["get", "pods", "--namespace=team"], ["get", "-nteam", "pods"], ["get", "pods", "-n=team"]]) {
      expect(await kubectl(args)).toEqual({ code: 0, out: "", err: "No resources found in team namespace.\n" });
    }
  });

  it("suggests a command for a typo", async () => {
    expect((await kubectl(["gte", "pods"])).err).toBe('error: unknown command "gte" for "kubectl"\n\nDid you mean this?\n\tget\n');
    // In kubectl's registration order (cobra's sorting is off), as kubectl 1.32 prints it.
    expect((await kubectl(["ru"])).err).toBe('error: unknown command "ru" for "kubectl"\n\nDid you mean this?\n\trun\n\tcp\n');
  });
});

describe("kubectl run in the legacy (≤1.17) mode", () => {
  it("creates a Deployment with --replicas and prints the generator deprecation", async () => {
    const r = await kubectl(["run", "web", "--image=nginx", "--replicas=2"], { KUBELAB_KUBECTL_LEGACY_RUN: "1" });
    expect(r).toEqual({
      code: 0,
      out: "deployment.apps/web created\n",
      err: "kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n",
    });
    const d = (await client.resource(GVR.deployments).get("web", "default")) as KObject & { spec: { replicas: number; selector: unknown } };
    expect(d.spec.replicas).toBe(2);
    expect(d.metadata.labels).toEqual({ run: "web" });
  });

  it("still makes a Pod for --restart=Never", async () => {
    const r = await kubectl(["run", "once", "--image=busybox", "--restart=Never"], { KUBELAB_KUBECTL_LEGACY_RUN: "1" });
    expect(r).toEqual({ code: 0, out: "pod/once created\n", err: "" });
  });
});

describe("kubectl get -w", () => {
  it("prints the table, then a row per change, until interrupted", async () => {
    await kubectl(["run", "web", "--image=nginx"]);
    const stop = new AbortController();
    const io = captureIO({ env: { HOME: "/nonexistent" }, signal: stop.signal });
    const running = kubectlMain(["get", "pods", "-w"], io, { transport: inProcessTransport(api), now: () => clock.now() });
    await drain();
    expect(io.out()).toBe("NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          0s\n");
    await kubectl(["run", "a-much-longer-name", "--image=nginx"]);
    await drain();
    stop.abort();
    expect(await running).toBe(130);
    // Widths only ever grow: the new row widens the NAME column for itself.
    expect(io.out()).toBe(
      "NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          0s\na-much-longer-name   0/1     Pending   0          0s\n",
    );
  });
});

describe("kubectl delete", () => {
  it("prints the deletion first and waits until the object is gone", async () => {
    await kubectl(["create", "deployment", "api", "--image=httpd"]);
    expect(await kubectl(["delete", "deployment", "api"])).toEqual({ code: 0, out: 'deployment.apps "api" deleted\n', err: "" });
    expect((await kubectl(["get", "deploy", "api"])).err).toBe('Error from server (NotFound): deployments.apps "api" not found\n');
  });

  it("warns about --force and deletes at once", async () => {
    await kubectl(["run", "web", "--image=nginx"]);
    expect(await kubectl(["delete", "pod", "web", "--force", "--grace-period=0"])).toEqual({
      code: 0,
      out: 'pod "web" force deleted\n',
      err: "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n",
    });
  });
});

describe("kubectl logs", () => {
  it("names the namespace when the pod is missing (1.32 wording)", async () => {
    expect(await kubectl(["logs", "nosuch"])).toEqual({ code: 1, out: "", err: 'error: error from server (NotFound): pods "nosuch" not found in namespace "default"\n' });
  });
});
