// Conformance for the `kubectl create` generators: service (clusterip,
// nodeport, loadbalancer, externalname), configmap, secret (generic, tls,
// docker-registry), serviceaccount, and the NAME checks of deployment and
// namespace. The same steps run through the real kubectl 1.32 against one
// cluster and the emulated kubectl against an identical second one (same
// fixture, same seed), so server-assigned fields (uid, clusterIP,
// resourceVersion) agree; stdout, stderr and exit code must match.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, runEmulated, runReal, useTwinServers } from "./harness.ts";

/** Steps over the files beforeAll writes under <dir>/files (f(name) is the path). */
function steps(f: (name: string) => string): string[][] {
  const YD = ["-o", "yaml", "--dry-run=client"];
  return [
    // services
    ["create", "service", "clusterip", "web", "--tcp=80:8080", ...YD],
    ["create", "service", "clusterip", "headless", "--clusterip=None", "-o", "json", "--dry-run=client"],
    ["create", "svc", "nodeport", "np", "--tcp=80", "--node-port=30080", ...YD],
    ["create", "service", "loadbalancer", "lb", "--tcp=80,443:8443", ...YD],
    ["create", "service", "externalname", "ext", "--external-name=example.com", ...YD, "-n", "team"],
    ["create", "service", "clusterip", "web", "--tcp=80:8080"],
    ["create", "service", "clusterip", "web", "--tcp=80:8080"],
    ["create", "service", "nodeport", "np", "--tcp=80:http", "-o", "yaml"],
    ["create", "service", "loadbalancer", "lb", "--tcp=443", "--dry-run=server"],
    ["create", "service", "externalname", "ext", "--external-name=db.example.com", "-o", "name"],
    ["create", "service", "clusterip"],
    ["create", "service", "clusterip", "nop"],
    ["create", "service", "externalname", "ext2"],
    ["create", "service", "externalname", "ext2", "--external-name=Bad_Name"],
    ["create", "service", "loadbalancer", "x", "--clusterip=None"],
    ["create", "service", "clusterip", "x", "--tcp=abc"],
    ["create", "service", "clusterip", "x", "--tcp=99999"],
    ["create", "service", "clusterip", "x", "--tcp=80:0"],
    ["create", "service", "clusterip", "x", "--tcp=80:Bad_Name"],
    ["create", "service", "clusterip", "x", "--node-port=1"],
    ["create", "service"],
    ["create", "service", "bogus", "x"],
    ["create", "service", "nodeport", "--help"],
    // configmaps
    ["create", "configmap", "cm1", "--from-literal=a=1", "--from-literal=b=x=y", `--from-file=${f("greet.txt")}`, `--from-file=k2=${f("conf.yaml")}`, ...YD],
    ["create", "cm", "cm2", `--from-env-file=${f("app.env")}`, "-o", "json", "--dry-run=client", "-n", "team"],
    ["create", "cm", "cm3", `--from-file=${f("")}`, ...YD],
    ["create", "cm", "cm4", "--from-literal=a=1", `--from-file=${f("blob.bin")}`, "--append-hash", ...YD],
    ["create", "configmap", "app", "--from-literal=mode=prod"],
    ["create", "configmap", "app", "--from-literal=mode=prod"],
    ["create", "cm", "app2", "--from-literal=a=1", "--dry-run=server", "-o", "name"],
    ["create", "cm", "Bad", "--from-literal=a=1"],
    ["create", "cm", "c", "--from-literal=bad"],
    ["create", "cm", "c", "--from-literal=a=1", "--from-literal=a=2"],
    ["create", "cm", "c", "--from-literal=a#b=1"],
    ["create", "cm", "c", `--from-file=${f("nosuch")}`],
    ["create", "cm", "c", `--from-file=k=${f("")}`],
    ["create", "cm", "c", "--from-file=a=b=c"],
    ["create", "cm", "c", `--from-env-file=${f("bad.env")}`],
    ["create", "cm", "c", `--from-env-file=${f("app.env")}`, "--from-literal=a=1"],
    ["create", "cm"],
    ["create", "cm", "a", "b"],
    ["create", "configmap", "-h"],
    // secrets
    ["create", "secret", "generic", "s1", "--from-literal=user=admin", `--from-file=${f("greet.txt")}`, "--type=kubernetes.io/basic-auth", ...YD],
    ["create", "secret", "generic", "s2", `--from-env-file=${f("app.env")}`, "--append-hash", "-o", "json", "--dry-run=client"],
    ["create", "secret", "tls", "t1", `--cert=${f("tls.crt")}`, `--key=${f("tls.key")}`, ...YD],
    ["create", "secret", "docker-registry", "d1", "--docker-username=u", "--docker-password=p", "--docker-email=e@x.io", "-o", "json", "--dry-run=client"],
    ["create", "secret", "docker-registry", "d2", `--from-file=.dockerconfigjson=${f("conf.yaml")}`, ...YD],
    ["create", "secret", "generic", "creds", "--from-literal=password=s3cret"],
    ["create", "secret", "generic", "creds", "--from-literal=password=s3cret"],
    ["create", "secret", "tls", "t2", `--cert=${f("tls.crt")}`, `--key=${f("tls.key")}`, "-o", "name"],
    ["create", "secret", "docker-registry", "reg", "--docker-username=u", "--docker-password=p"],
    ["create", "secret", "tls", "t3"],
    ["create", "secret", "tls", "t3", `--cert=${f("tls.crt")}`, `--key=${f("greet.txt")}`],
    ["create", "secret", "tls", "t3", `--cert=${f("tls.crt")}`, `--key=${f("other.key")}`],
    ["create", "secret", "tls", "t3", `--cert=${f("nosuch")}`, `--key=${f("tls.key")}`],
    ["create", "secret", "docker-registry", "d3"],
    ["create", "secret", "generic", "s3", "--from-literal=a#=2"],
    ["create", "secret", "generic", "s3", "--from-literal=a=1", "--from-literal=a=2"],
    ["create", "secret", "generic"],
    ["create", "secret"],
    ["create", "secret", "tls", "-h"],
    // service accounts, and the NAME checks every generator shares
    ["create", "serviceaccount", "bot", ...YD],
    ["create", "sa", "bot"],
    ["create", "sa", "bot"],
    ["create", "sa", "bot2", "--dry-run=bogus"],
    ["create", "sa", "bot2", "-o", "wide"],
    ["create", "sa", "bot2", "-o", "bogus"],
    ["create", "sa", "bot2", "-o", "jsonpath={.metadata.name}", "--dry-run=client"],
    ["create", "cm", "x", "--from-literal=a=1", "--dry-run=client", "-o", "go-template={{.data.a}}"],
    ["create", "deployment", "--image=nginx"],
    ["create", "namespace", "a", "b"],
    ["get", "svc,cm,secrets,sa"],
  ];
}

describe.skipIf(!haveBundled("32"))("kubectl conformance: create generators, kubectl 1.32", () => {
  const suite = useTwinServers({
    name: "create",
    build: (wall) => buildFixture(wall),
    prepare: (root, tls) => {
      mkdirSync(join(root, "files"), { recursive: true });
      writeFileSync(file("greet.txt"), "hello\n");
      writeFileSync(file("conf.yaml"), "x: 1\n");
      writeFileSync(file("app.env"), "# settings\nMODE=prod\n  LEVEL = 2=3\n\nZZ_UNSET\n".replace(" = ", "="));
      writeFileSync(file("bad.env"), "ok=1\nexport X=1\n");
      writeFileSync(file("blob.bin"), Buffer.from([0xff, 0x00, 0xfe, 0x80]));
      writeFileSync(file("tls.crt"), tls.caPem);
      writeFileSync(file("tls.key"), tls.caKeyPem);
      writeFileSync(file("other.key"), tls.certKeyPem);
    },
  });
  const file = (name: string) => join(suite.dir, "files", name);

  const real = (args: string[]) => runReal(suite.oracle, args, { HOME: join(suite.dir, "real"), KUBECONFIG: join(suite.dir, "real.config") });
  const emulated = (args: string[]) => runEmulated(args, { HOME: join(suite.dir, "emulated"), KUBECONFIG: join(suite.dir, "emulated.config") });

  it("prints what the real kubectl prints for every step", async () => {
    for (const args of steps(file)) {
      const want = await real(args);
      const got = await emulated(args);
      dumpPair("create", args, want, got);
      expect({ step: args.join(" "), ...got }).toEqual({ step: args.join(" "), ...want });
    }
  }, 600_000);
});
