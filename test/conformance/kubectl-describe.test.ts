// Conformance for the dedicated describers (describe.go) of secrets, service
// accounts, jobs, cronjobs, statefulsets, PVCs, resource quotas, limit ranges
// and RBAC objects, and for the short-name ambiguity warning (`ev`: core and
// events.k8s.io events), on a whole emulated cluster: the objects below are
// created, the controllers run jobs to completion or failure, schedule the
// cronjob and start the statefulsets' pods, then each command runs through the
// real kubectl (the bundled one of the server's minor: 1.32, 1.33, 1.27) and
// the emulated one over HTTPS; stdout, stderr and exit code must be identical.
// Where kubectl prints a Go map in iteration order (a secret's data keys, a
// limit's resources), the order is random from run to run, so those commands
// are compared as sorted lines (the emulated kubectl sorts them).
// Time: the cluster clock starts 9½ hours before the wall clock, so the ages
// kubectl computes itself (describe's events) read "9h" for both clients.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { KObject } from "../../src/apimachinery/meta.ts";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { GVR } from "../../src/client/interface.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { dumpPair, haveBundled, oracleBinary, type Run, runEmulated, runReal, VERSION_CASES, serveOne } from "./harness.ts";

/** Where each kind of the manifests is created (group, version, resource). */
const RESOURCES: Record<string, { group: string; version: string; resource: string }> = {
  Secret: GVR.secrets,
  ServiceAccount: GVR.serviceaccounts,
  Job: GVR.jobs,
  CronJob: GVR.cronjobs,
  StatefulSet: GVR.statefulsets,
  Pod: GVR.pods,
  PersistentVolumeClaim: { group: "", version: "v1", resource: "persistentvolumeclaims" },
  ResourceQuota: { group: "", version: "v1", resource: "resourcequotas" },
  LimitRange: { group: "", version: "v1", resource: "limitranges" },
  Role: { group: "rbac.authorization.k8s.io", version: "v1", resource: "roles" },
  ClusterRole: { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles" },
  RoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings" },
  ClusterRoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings" },
};

const CLUSTER_SCOPED = new Set(["ClusterRole", "ClusterRoleBinding"]);

const MANIFESTS = `apiVersion: v1
kind: Secret
metadata:
  name: db-creds
  labels:
    app: db
  annotations:
    team: storage
type: Opaque
data:
  username: YWRtaW4=
  password: czNjcjN0LXBhc3N3b3Jk
  zone: ZXU=
  api-key: MTIzNDU2Nzg5MA==
---
apiVersion: v1
kind: Secret
metadata:
  name: empty
type: Opaque
---
apiVersion: v1
kind: Secret
metadata:
  name: site-tls
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENCK3dJSkFLSE9zbWFsbAotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDCi0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K
---
apiVersion: v1
kind: Secret
metadata:
  name: regcred
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6ImJvdCIsInBhc3N3b3JkIjoicHciLCJhdXRoIjoiWW05ME9uQjMifX19
---
apiVersion: v1
kind: Secret
metadata:
  name: basic
type: kubernetes.io/basic-auth
stringData:
  username: alice
  password: wonderland
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: build-bot
  labels:
    team: ci
imagePullSecrets:
- name: regcred
- name: missing-cred
secrets:
- name: db-creds
---
apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: hello
        image: busybox
        command: ["sh", "-c", "echo hello; sleep 5"]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: fails
  labels:
    purpose: demo
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: boom
        image: busybox
        command: ["sh", "-c", "exit 1"]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: batch3
spec:
  completions: 3
  parallelism: 2
  ttlSecondsAfterFinished: 3600
  activeDeadlineSeconds: 600
  template:
    metadata:
      labels:
        tier: batch
    spec:
      restartPolicy: OnFailure
      containers:
      - name: work
        image: busybox
        args: ["sleep", "10"]
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
---
apiVersion: batch/v1
kind: Job
metadata:
  name: runner
spec:
  completionMode: Indexed
  completions: 4
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: run
        image: busybox
        command: ["sleep", "3600"]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox
            command: ["sh", "-c", "date; echo tick"]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  annotations:
    owner: ops
spec:
  schedule: "0 3 * * *"
  timeZone: "Europe/Paris"
  suspend: true
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 120
  successfulJobsHistoryLimit: 1
  failedJobsHistoryLimit: 2
  jobTemplate:
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: 300
      completions: 2
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: backup
            image: busybox
            command: ["sh", "-c", "echo backup"]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels:
      app: web-sts
  template:
    metadata:
      labels:
        app: web-sts
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
          name: http
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  labels:
    app: db
spec:
  serviceName: db
  replicas: 1
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 0
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: redis
        image: redis:7
  volumeClaimTemplates:
  - metadata:
      name: data
      labels:
        tier: storage
    spec:
      accessModes: ["ReadWriteOnce"]
      storageClassName: standard
      resources:
        requests:
          storage: 1Gi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: shared
  labels:
    app: files
spec:
  accessModes: ["ReadWriteMany"]
  resources:
    requests:
      storage: 5Gi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: block
spec:
  accessModes: ["ReadWriteOnce"]
  volumeMode: Block
  storageClassName: fast
  resources:
    requests:
      storage: 500Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: files
spec:
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - name: shared
      mountPath: /srv
  volumes:
  - name: shared
    persistentVolumeClaim:
      claimName: shared
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  resourceNames: ["test-web"]
  verbs: ["get", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["delete"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ops
  labels:
    rbac.example.com/aggregate: "true"
rules:
- apiGroups: ["", "apps"]
  resources: ["*"]
  verbs: ["*"]
- nonResourceURLs: ["/healthz", "/metrics"]
  verbs: ["get"]
- apiGroups: ["batch"]
  resources: ["jobs", "cronjobs"]
  resourceNames: ["a", "b"]
  verbs: ["create", "delete"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
- kind: ServiceAccount
  name: build-bot
  namespace: default
- kind: Group
  name: devs
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ops-binding
subjects:
- kind: Group
  name: ops-team
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: ops
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    pods: "10"
    requests.cpu: "2"
    requests.memory: 2Gi
    limits.memory: 4Gi
    secrets: "20"
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: besteffort
spec:
  hard:
    pods: "5"
  scopes: ["BestEffort", "NotTerminating"]
---
apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    max:
      cpu: "1"
      memory: 1Gi
    min:
      cpu: 50m
    default:
      cpu: 500m
      memory: 256Mi
    defaultRequest:
      cpu: 100m
      memory: 128Mi
    maxLimitRequestRatio:
      cpu: "10"
  - type: Pod
    max:
      memory: 2Gi
  - type: PersistentVolumeClaim
    min:
      storage: 100Mi
---
apiVersion: v1
kind: Secret
metadata:
  name: api-token
  labels:
    app: db
type: Opaque
data:
  token: c2VjcmV0LXRva2VuLXZhbHVl
---
apiVersion: v1
kind: LimitRange
metadata:
  name: mem-limits
spec:
  limits:
  - type: Container
    default:
      memory: 512Mi
  - type: Pod
    max:
      cpu: "2"
`;

/** Each command, and whether its stdout is compared as sorted lines (Go map order). */
export const DESCRIBE_COMMANDS: { args: string[]; lines?: true }[] = [
  // secrets
  { args: ["describe", "secret", "api-token"] },
  { args: ["describe", "secret", "regcred"] },
  { args: ["describe", "secret", "empty"] },
  { args: ["describe", "secret", "db-creds"], lines: true },
  { args: ["describe", "secret", "site-tls"], lines: true },
  { args: ["describe", "secret", "basic"], lines: true },
  { args: ["describe", "secret", "deployer-token"], lines: true },
  { args: ["describe", "secrets", "-l", "app=db"], lines: true },
  { args: ["describe", "secret", "nosuch"] },
  // service accounts
  { args: ["describe", "sa", "build-bot"] },
  { args: ["describe", "serviceaccount", "deployer"] },
  { args: ["describe", "sa"] },
  { args: ["describe", "sa", "coredns", "-n", "kube-system"] },
  // jobs
  { args: ["describe", "job", "hello"] },
  { args: ["describe", "job", "fails"] },
  { args: ["describe", "job", "batch3"] },
  { args: ["describe", "job", "runner"] },
  { args: ["describe", "jobs"] },
  { args: ["describe", "job", "-l", "purpose=demo"] },
  { args: ["describe", "job/hello", "--show-events=false"] },
  { args: ["describe", "job", "tick"] },
  // cronjobs
  { args: ["describe", "cronjob", "tick"] },
  { args: ["describe", "cj", "nightly"] },
  { args: ["describe", "cronjobs.batch"] },
  // statefulsets
  { args: ["describe", "sts", "web"] },
  { args: ["describe", "statefulset", "db"] },
  { args: ["describe", "statefulsets", "--show-events=false"] },
  // persistent volume claims
  { args: ["describe", "pvc", "shared"] },
  { args: ["describe", "pvc", "block"] },
  { args: ["describe", "pvc", "data-db-0"] },
  { args: ["describe", "persistentvolumeclaims"] },
  // RBAC
  { args: ["describe", "role", "pod-reader"] },
  { args: ["describe", "clusterrole", "ops"] },
  { args: ["describe", "rolebinding", "read-pods"] },
  { args: ["describe", "clusterrolebinding", "ops-binding"] },
  { args: ["describe", "roles,rolebindings"] },
  { args: ["describe", "clusterrole/ops", "clusterrolebinding/ops-binding"] },
  // quotas and limits
  { args: ["describe", "quota", "compute"] },
  { args: ["describe", "resourcequota", "besteffort"] },
  { args: ["describe", "quota"] },
  { args: ["describe", "limitrange", "mem-limits"] },
  { args: ["describe", "limits", "limits"], lines: true },
  // the short name two groups share
  { args: ["get", "ev", "-n", "kube-node-lease"] },
  { args: ["get", "ev", "nosuch"] },
  { args: ["get", "ev/nosuch", "ev/other"] },
  { args: ["get", "ev,ev", "-n", "kube-public"] },
  { args: ["get", "ev.events.k8s.io", "-n", "kube-public"] },
  { args: ["describe", "ev", "nosuch"] },
  { args: ["delete", "ev", "nosuch"] },
  { args: ["get", "events", "-n", "kube-public"] },
];

const sortedLines = (r: Run): Run => ({ ...r, stdout: r.stdout.split("\n").sort().join("\n") });

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl describe conformance, server ${vc.server}, kubectl 1.${vc.minor} (${DESCRIBE_COMMANDS.length} commands)`, () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  let cluster: Cluster;
  const token = "tok-conformance-describe-0123456789";
  const env = () => ({ HOME: dir, KUBECONFIG: join(dir, "config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-describe-"));
    oracle = oracleBinary(dir, vc.minor);
    const wall = Date.now();
    const clock = new FakeClock(wall - 9.5 * 3600_000);
    cluster = await createCluster({ clock, seed: 1, version: vc.server });
    await clock.advance(60_000, () => cluster.settle());
    const client = cluster.client("kubernetes-admin");
    const create = async (obj: KObject) => {
      const where = RESOURCES[obj.kind!]!;
      return client.resource(where).create(obj, CLUSTER_SCOPED.has(obj.kind!) ? undefined : "default");
    };
    for (const doc of parseAllDocuments(MANIFESTS)) await create(doc.toJS() as KObject);
    // Jobs finish or fail, the cronjob runs three times, the statefulsets start their pods.
    await clock.advance(150_000, () => cluster.settle());
    // A token secret as the tokens controller would have filled it in (the lab runs none).
    const sa = await create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer", annotations: { description: "deploys things" } } } as KObject);
    await create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "deployer-token", annotations: { "kubernetes.io/service-account.name": "deployer", "kubernetes.io/service-account.uid": sa.metadata.uid! } },
      type: "kubernetes.io/service-account-token",
      data: { token: Buffer.from("eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl").toString("base64"), namespace: Buffer.from("default").toString("base64"), "ca.crt": Buffer.from("-----BEGIN CERTIFICATE-----\n").toString("base64") },
    } as KObject);
    await clock.advance(30_000, () => cluster.settle());
    server = await serveOne({ dir, api: cluster.api, token, wallClockMs: wall });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const { args, lines } of DESCRIBE_COMMANDS) {
    it(`kubectl ${args.join(" ")}${lines ? " (as sorted lines)" : ""}`, async () => {
      const want = await runReal(oracle, args, env());
      const got = await runEmulated(args, env());
      dumpPair(`describe${vc.minor}`, args, want, got);
      if (lines) expect(sortedLines(got)).toEqual(sortedLines(want));
      else expect(got).toEqual(want);
    }, 60_000);
  }
});
