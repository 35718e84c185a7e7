// containerd's image store on one node, as the kubelet sees it through the
// CRI ImageService (PullImage, ImageStatus, ListImages) and crictl prints it.
// Image references are normalised like containerd's reference/docker package.
// Leaves out: layers, registries and auth: a table of well-known images stands
// in for Docker Hub and registry.k8s.io; other names fail to resolve.

import { createHash } from "node:crypto";

/** A parsed, normalised reference: docker.io/library/httpd:latest. */
export interface ImageRef {
  /** What the user wrote, e.g. "httpd". */
  raw: string;
  /** registry/repository without tag, e.g. docker.io/library/httpd. */
  repository: string;
  tag: string;
  /** repository:tag */
  full: string;
}

/** What the lab knows about a repository: its size and how its containers behave. */
export interface ImageProfile {
  /** Compressed size in bytes (what the kubelet reports in "Image size: N bytes"). */
  size: number;
  /** How the image's default command behaves; see src/cri/behaviour.ts. */
  kind: "server" | "shell" | "pause" | "system";
}

/** Well-known repositories and their sizes (amd64, compressed, as pulled by containerd 1.7). */
const KNOWN: Record<string, ImageProfile> = {
  "docker.io/library/httpd": { size: 58_383_529, kind: "server" },
  "docker.io/library/nginx": { size: 72_099_501, kind: "server" },
  "docker.io/library/redis": { size: 45_007_148, kind: "server" },
  "docker.io/library/memcached": { size: 32_114_530, kind: "server" },
  "docker.io/library/postgres": { size: 158_263_020, kind: "server" },
  "docker.io/library/mysql": { size: 172_684_610, kind: "server" },
  "docker.io/library/busybox": { size: 2_166_802, kind: "shell" },
  "docker.io/library/alpine": { size: 3_653_068, kind: "shell" },
  "docker.io/library/ubuntu": { size: 29_754_290, kind: "shell" },
  "docker.io/library/debian": { size: 48_494_272, kind: "shell" },
  "docker.io/library/python": { size: 392_150_224, kind: "shell" },
  "docker.io/library/node": { size: 398_455_030, kind: "shell" },
  "docker.io/library/registry": { size: 9_866_203, kind: "server" },
  "docker.io/kodekloud/webapp-color": { size: 31_745_209, kind: "server" },
  "docker.io/nginxinc/nginx-unprivileged": { size: 72_512_006, kind: "server" },
  "docker.io/flannel/flannel": { size: 32_267_874, kind: "system" },
  "docker.io/flannel/flannel-cni-plugin": { size: 4_856_782, kind: "shell" },
  "registry.k8s.io/busybox": { size: 1_144_547, kind: "shell" },
  "registry.k8s.io/pause": { size: 320_368, kind: "pause" },
  "registry.k8s.io/etcd": { size: 57_680_541, kind: "system" },
  "registry.k8s.io/kube-apiserver": { size: 28_670_731, kind: "system" },
  "registry.k8s.io/kube-controller-manager": { size: 26_259_392, kind: "system" },
  "registry.k8s.io/kube-scheduler": { size: 20_657_536, kind: "system" },
  "registry.k8s.io/kube-proxy": { size: 30_898_798, kind: "system" },
  "registry.k8s.io/coredns/coredns": { size: 18_562_039, kind: "system" },
  "registry.k8s.io/metrics-server/metrics-server": { size: 19_496_080, kind: "system" },
};

/** Tags that exist on Docker Hub for any of the well-known images (beside version numbers). */
const TAG_WORDS = new Set(["latest", "alpine", "slim", "stable", "mainline", "bookworm", "bullseye", "jammy", "noble", "focal", "musl", "glibc", "uclibc", "perl", "otel", "lts"]);

export function parseImageRef(raw: string): ImageRef {
  let name = raw;
  let tag = "latest";
  const at = name.indexOf("@");
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > slash) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const first = name.split("/")[0]!;
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  let repository = hasRegistry ? name : `docker.io/${name}`;
  if (!hasRegistry && !name.includes("/")) repository = `docker.io/library/${name}`;
  return { raw, repository, tag, full: `${repository}:${tag}` };
}

/** Whether the emulated registries serve this reference. */
export function resolvable(ref: ImageRef): boolean {
  if (!KNOWN[ref.repository]) return false;
  return /^v?\d/.test(ref.tag) || ref.tag.split("-").every((w) => TAG_WORDS.has(w) || /^v?\d[\w.]*$/.test(w));
}

export function profileOf(ref: ImageRef): ImageProfile {
  return KNOWN[ref.repository] ?? { size: 10_000_000, kind: "server" };
}

/** sha256 digests derived from the reference, so every node agrees on an image's ID. */
export function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The error containerd returns for a reference it cannot resolve, as the kubelet quotes it. */
export function resolveError(ref: ImageRef): string {
  const full = ref.full;
  if (KNOWN[ref.repository]) {
    return `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`;
  }
  return (
    `rpc error: code = Unknown desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ` +
    `pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
  );
}

/** An image present on a node, as `crictl images` lists it. */
export interface StoredImage {
  /** sha256:<64 hex>: the config digest, crictl's IMAGE ID. */
  id: string;
  repoTags: string[];
  /** repository@sha256:<digest>: what the kubelet reports as imageID. */
  repoDigests: string[];
  size: number;
  pulledAt: number;
}

/** One node's image store. */
export class ImageStore {
  private readonly images = new Map<string, StoredImage>();

  /** The image for a reference, if present (by repository:tag). */
  get(raw: string): StoredImage | undefined {
    return this.images.get(parseImageRef(raw).full);
  }

  list(): StoredImage[] {
    return [...this.images.values()];
  }

  add(ref: ImageRef, now: number): StoredImage {
    const existing = this.images.get(ref.full);
    if (existing) return existing;
    const img: StoredImage = {
      id: `sha256:${digestOf(`config:${ref.full}`)}`,
      repoTags: [ref.full],
      repoDigests: [`${ref.repository}@sha256:${digestOf(`manifest:${ref.full}`)}`],
      size: profileOf(ref).size,
      pulledAt: now,
    };
    this.images.set(ref.full, img);
    return img;
  }

  remove(raw: string): boolean {
    return this.images.delete(parseImageRef(raw).full);
  }
}
