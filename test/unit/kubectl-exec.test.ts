// kubectl exec on a whole emulated cluster: the command runs in the pod's
// container through the apiserver's pods/exec (kubelab's in-process protocol)
// and the node's kubelet; output, exit codes and errors as real kubectl's.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { handleRest } from "../../src/apiserver/rest.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { GVR } from "../../src/client/interface.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { captureIO } from "../../src/utils/command.ts";

let cluster: Cluster;
let clock: FakeClock;

async function kubectl(args: string[], opts: { stdin?: string } = {}) {
  const io = captureIO({ env: { HOME: "/nonexistent" }, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
  const code = await kubectlMain(args, io, { transport: inProcessTransport(cluster.api), now: () => clock.now(), clock });
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  clock = new FakeClock(Date.parse("2025-05-01T10:00:00Z"));
  cluster = await createCluster({ clock, seed: 7 });
  await clock.advance(60_000, () => cluster.settle());
  expect((await kubectl(["expose", "deployment", "coredns", "-n", "kube-system", "--port=53", "--name=dns-extra"])).code).toBeLessThanOrEqual(1);
  expect((await kubectl(["create", "deployment", "test-web", "--image=httpd", "--port=80"])).code).toBe(0);
  expect((await kubectl(["expose", "deployment", "test-web", "--port=80"])).code).toBe(0);
  await clock.advance(1_000, () => cluster.settle());
  expect((await kubectl(["run", "web", "--image=httpd", "--env=GREETING=hi"])).code).toBe(0);
  expect((await kubectl(["run", "never", "--image=nosuchimage/really:1"])).code).toBe(0);
  expect((await kubectl(["run", "done", "--image=busybox", "--restart=Never", "--", "true"])).code).toBe(0);
  const multi = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "multi" },
    spec: { containers: [{ name: "web", image: "nginx" }, { name: "sidecar", image: "busybox", command: ["sleep", "3600"] }] },
  } as unknown as KObject;
  await cluster.client("kubernetes-admin").resource(GVR.pods).create(multi, "default");
  await clock.advance(120_000, () => cluster.settle());
}, 60_000);

afterAll(() => cluster?.stop());

describe("kubectl exec", () => {
  it("runs a command and prints its output", async () => {
    const r = await kubectl(["exec", "web", "--", "hostname"]);
    expect(r).toEqual({ code: 0, out: "web\n", err: "" });
    const cat = await kubectl(["exec", "web", "--", "cat", "/usr/local/apache2/htdocs/index.html"]);
    expect(cat.out).toBe("<html><body><h1>It works!</h1></body></html>\n");
  });

  it("shows the cluster search path and the injected service env", async () => {
    const rc = await kubectl(["exec", "web", "--", "cat", "/etc/resolv.conf"]);
    expect(rc.out).toBe("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
    const env = (await kubectl(["exec", "web", "--", "env"])).out.split("\n");
    expect(env).toContain("HOSTNAME=web");
    expect(env).toContain("GREETING=hi");
    expect(env).toContain("KUBERNETES_SERVICE_HOST=10.96.0.1");
    expect(env).toContain("KUBERNETES_SERVICE_PORT=443");
    expect(env).toContain("KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443");
    expect(env.some((l) => l.startsWith("TEST_WEB_SERVICE_HOST=10."))).toBe(true);
    expect(env).toContain("TEST_WEB_SERVICE_PORT=80");
    expect(env.some((l) => l.startsWith("DNS_EXTRA_"))).toBe(false); // another namespace
  });

  it("curl and nslookup inside the pod resolve services through CoreDNS", async () => {
    const r = await kubectl(["exec", "web", "--", "curl", "-s", "test-web"]);
    expect(r).toEqual({ code: 0, out: "<html><body><h1>It works!</h1></body></html>\n", err: "" });
    const sh = await kubectl(["exec", "web", "--", "sh", "-c", "curl -s http://test-web.default.svc.cluster.local"]);
    expect(sh.out).toBe("<html><body><h1>It works!</h1></body></html>\n");
    const ns = await kubectl(["exec", "web", "--", "nslookup", "test-web"]);
    expect(ns.code).toBe(0);
    expect(ns.out).toMatch(/^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10:53\n\nName:\ttest-web\.default\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+\n\n$/);
    const bad = await kubectl(["exec", "web", "--", "nslookup", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe("** server can't find nope: NXDOMAIN\n\ncommand terminated with exit code 1\n");
  });

  it("returns the command's exit code", async () => {
    const r = await kubectl(["exec", "web", "--", "sh", "-c", "exit 3"]);
    expect(r.code).toBe(3);
    expect(r.err).toBe("command terminated with exit code 3\n");
    const ls = await kubectl(["exec", "web", "--", "ls", "/nope"]);
    expect(ls.code).toBe(2);
    expect(ls.err).toBe("ls: cannot access '/nope': No such file or directory\ncommand terminated with exit code 2\n");
  });

  it("errors as real kubectl does", async () => {
    expect(await kubectl(["exec", "web"])).toMatchObject({ code: 1, err: "error: you must specify at least one command for the container\n" });
    expect(await kubectl(["exec", "web", "ls"])).toMatchObject({
      code: 1,
      err: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n",
    });
    expect(await kubectl(["exec", "nope", "--", "ls"])).toMatchObject({ code: 1, err: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await kubectl(["exec", "never", "--", "ls"])).toMatchObject({ code: 1, err: 'error: unable to upgrade connection: container not found ("never")\n' });
  });

  it("execs into one of a deployment's pods with TYPE/NAME", async () => {
    const r = await kubectl(["exec", "deploy/test-web", "--", "hostname"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^test-web-[a-z0-9]+-[a-z0-9]{5}\n$/);
    expect((await kubectl(["exec", "pod/web", "--", "hostname"])).out).toBe("web\n");
  });

  it("defaults to the first container of several, and -c picks another", async () => {
    const r = await kubectl(["exec", "multi", "--", "cat", "/usr/share/nginx/html/index.html"]);
    expect(r.err).toBe('Defaulted container "web" out of: web, sidecar\n');
    expect(r.out).toContain("<title>Welcome to nginx!</title>");
    const ps = await kubectl(["exec", "multi", "-c", "sidecar", "--", "ps"]);
    expect(ps).toEqual({ code: 0, out: "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 ps\n", err: "" });
  });

  it("refuses a completed pod", async () => {
    const r = await kubectl(["exec", "done", "--", "ls"]);
    expect(r).toMatchObject({ code: 1, err: "error: cannot exec into a container in a completed pod; current phase is Succeeded\n" });
  });

  it("runs an interactive shell reading stdin lines", async () => {
    const r = await kubectl(["exec", "-it", "web", "--", "sh"], { stdin: "hostname\necho $GREETING\nexit 4\n" });
    expect(r.out).toBe("# web\r\n# hi\r\n# ");
    expect(r.code).toBe(4);
  });

  it("answers 400 Upgrade request required without the in-process protocol header", async () => {
    let status = 0;
    let body = "";
    await handleRest(
      cluster.api,
      { method: "POST", path: "/api/v1/namespaces/default/pods/web/exec", query: new URLSearchParams("command=ls&stdout=true"), headers: {}, body: Buffer.alloc(0) },
      { writeHead: (s) => void (status = s), write: (c) => void (body += String(c)), end: () => undefined },
    );
    expect(status).toBe(400);
    expect(JSON.parse(body).message).toBe("Upgrade request required");
  });
});
