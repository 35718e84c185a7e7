// Conformance for the `kubectl create` generators job, cronjob, role,
// clusterrole, rolebinding, clusterrolebinding, quota, priorityclass and
// poddisruptionbudget. The same steps run through the real kubectl 1.32
// against one cluster and the emulated kubectl against an identical second
// one (same fixture, same seed), so server-assigned fields agree; stdout,
// stderr and exit code must match, one test per step.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, runEmulated, runReal, useTwinServers } from "./harness.ts";

const YD = ["-o", "yaml", "--dry-run=client"];
const STEPS: string[][] = [
  // jobs
  ["create", "job", "pi", "--image=perl", ...YD],
  ["create", "job", "pi", "--image=busybox", "-o", "json", "--dry-run=client", "-n", "team", "--", "sh", "-c", "date"],
  ["create", "job", "once", "--image=busybox", "--", "date"],
  ["create", "job", "once", "--image=busybox"],
  ["create", "job", "x"],
  ["create", "job", "x", "--image=busybox", "--from=cronjob/nightly"],
  ["create", "job"],
  ["create", "job", "a", "b", "--image=busybox"],
  ["create", "job", "srv", "--image=busybox", "--dry-run=server", "-o", "name"],
  // cronjobs, and jobs made from them
  ["create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "--", "echo", "hi"],
  ["create", "cj", "every", "--image=busybox", "--schedule=*/5 * * * *", "--restart=Never", ...YD],
  ["create", "cronjob", "c2", "--image=busybox"],
  ["create", "cronjob", "c2", "--schedule=* * * * *"],
  ["create", "cronjob", "c3", "--image=busybox", "--schedule=* * * * *", "--save-config", "-o", "json", "--dry-run=client"],
  ["create", "job", "manual", "--from=cronjob/nightly", ...YD],
  ["create", "job", "manual", "--from=cronjob/nightly"],
  ["create", "job", "manual2", "--from=cronjob/nosuch"],
  ["create", "job", "manual2", "--from=cronjob/nightly", "--", "date"],
  // roles
  ["create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods", ...YD],
  ["create", "role", "r2", "--verb=get", "--verb=get", "--resource=pods,pods/status,deployments.apps,rs", "--resource-name=a", "--resource-name=b", ...YD],
  ["create", "role", "r3", "--verb=*,get", "--resource=*", "-o", "json", "--dry-run=client"],
  ["create", "role", "reader", "--verb=get", "--resource=pods"],
  ["create", "role", "reader", "--verb=get", "--resource=pods"],
  ["create", "role", "r4", "--resource=pods"],
  ["create", "role", "r4", "--verb=get"],
  ["create", "role", "r4", "--verb=get", "--resource=nosuch"],
  ["create", "role", "r4", "--verb=frob", "--resource=pods", ...YD],
  ["create", "role", "r4", "--verb=use", "--resource=pods"],
  ["create", "role", "r4", "--verb=get", "--resource=.apps"],
  ["create", "role"],
  // cluster roles
  ["create", "clusterrole", "foo", "--verb=get", "--non-resource-url=/logs/*", "--resource=nodes", ...YD],
  ["create", "clusterrole", "monitoring", "--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true", ...YD],
  ["create", "clusterrole", "agg", "--aggregation-rule=a=1", "--verb=get"],
  ["create", "clusterrole", "cr", "--verb=get"],
  ["create", "clusterrole", "cr", "--verb=list", "--non-resource-url=logs"],
  ["create", "clusterrole", "cr", "--verb=list", "--non-resource-url=/a*b"],
  ["create", "clusterrole", "cr", "--verb=watch", "--non-resource-url=/healthz"],
  ["create", "clusterrole", "node-reader", "--verb=get,list", "--resource=nodes", "-o", "name"],
  // bindings
  ["create", "rolebinding", "rb", "--role=reader", "--user=u1", "--group=g1", "--serviceaccount=team:bot", ...YD],
  ["create", "rolebinding", "admin", "--clusterrole=admin", "--user=user1", "--user=user2"],
  ["create", "rolebinding", "rb2", "--role=a", "--clusterrole=b"],
  ["create", "rolebinding", "rb2"],
  ["create", "rolebinding", "rb2", "--role=a", "--serviceaccount=bot"],
  ["create", "clusterrolebinding", "crb", "--clusterrole=view", "--group=devs", "-o", "json", "--dry-run=client"],
  ["create", "clusterrolebinding", "crb", "--user=u"],
  ["create", "clusterrolebinding", "root", "--clusterrole=cluster-admin", "--serviceaccount=kube-system:default"],
  // quotas
  ["create", "quota", "q", "--hard=cpu=1,memory=1G,pods=2,services.nodeports=0", "--scopes=BestEffort", ...YD],
  ["create", "quota", "q2", "--hard=pods=10"],
  ["create", "quota", "q3", "--hard=pods"],
  ["create", "quota", "q3", "--hard=cpu=abc"],
  ["create", "quota", "q3", "--scopes=A,,B"],
  // priority classes
  ["create", "priorityclass", "high", "--value=1000", "--description=high priority", ...YD],
  ["create", "pc", "low", "--value=10", "--global-default", "--preemption-policy=Never", "-o", "json", "--dry-run=client"],
  ["create", "priorityclass", "mid", "--value=500"],
  ["create", "priorityclass", "bad", "--value=abc"],
  // pod disruption budgets
  ["create", "pdb", "my-pdb", "--selector=app=rails", "--min-available=1", ...YD],
  ["create", "poddisruptionbudget", "p2", "--selector=app=nginx", "--max-unavailable=50%", "-o", "json", "--dry-run=client"],
  ["create", "pdb", "p3", "--selector=app=web", "--min-available=2"],
  ["create", "pdb", "p4", "--min-available=1"],
  ["create", "pdb", "p4", "--selector=app=x"],
  ["create", "pdb", "p4", "--selector=app=x", "--min-available=1", "--max-unavailable=1"],
  ["create", "pdb", "p4", "--selector=app=x", "--min-available=abc"],
  // help, and what the generators left behind
  ["create", "job", "--help"],
  ["create", "cronjob", "-h"],
  ["create", "rolebinding", "-h"],
  ["get", "jobs,cronjobs,roles,rolebindings,quota,pdb"],
];

describe.skipIf(!haveBundled("32"))("kubectl conformance: create generators (job … pdb), kubectl 1.32", () => {
  const suite = useTwinServers({ name: "create2", build: (wall) => buildFixture(wall) });
  const real = (args: string[]) => runReal(suite.oracle, args, { HOME: join(suite.dir, "real"), KUBECONFIG: join(suite.dir, "real.config") });
  const emulated = (args: string[]) => runEmulated(args, { HOME: join(suite.dir, "emulated"), KUBECONFIG: join(suite.dir, "emulated.config") });

  // Steps build on each other (the job made from cronjob/nightly, the second create of a name): they run in order.
  for (const [k, args] of STEPS.entries()) {
    it(`step ${k}: kubectl ${args.join(" ")}`, async () => {
      const want = await real(args);
      const got = await emulated(args);
      dumpPair("create2", args, want, got);
      expect(got).toEqual(want);
    }, 120_000);
  }
});
