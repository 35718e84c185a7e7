// `kubectl auth can-i VERB RESOURCE[/NAME]` and `kubectl auth whoami`, after
// k8s.io/kubectl/pkg/cmd/auth (cani.go, whoami.go): a SelfSubjectAccessReview
// (resource or non-resource URL) answered `yes`/`no` (exit 1 on no), and a
// SelfSubjectReview printed as an ATTRIBUTE/VALUE table.
// Leaves out `can-i --list` (SelfSubjectRulesReview) and whoami -o.

import { StatusError } from "../../apimachinery/errors.ts";
import { pathFor } from "../discovery.ts";
import { NoResourceTypeError } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { newGetTabWriter } from "../printers/tabwriter.ts";

const KNOWN_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind", "impersonate", "*", "approve", "sign", "escalate", "attest"];
const NON_STANDARD = ["users", "groups", "serviceaccounts", "userextras", "uids", "signers"];

async function canI(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  // warningf formats "…\n" and the warning printer adds its own newline.
  const warn = (msg: string) => io.stderr.write(`Warning: ${msg}\n\n`);
  if (flags.bool("list")) throw new UsageError("can-i --list is not available in kubelab's kubectl");
  if (ctx.args.length < 2) throw new UsageError("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
  if (flags.bool("no-headers")) throw new UsageError("--no-headers cannot be set without --list specified");
  const verb = ctx.args[0]!;
  const target = ctx.args[1]!;
  const allNs = flags.bool("all-namespaces");
  const namespace = allNs ? "" : ctx.factory.namespace().namespace;
  let attributes: Record<string, unknown>;
  if (target.startsWith("/")) {
    if (flags.string("subresource")) throw new UsageError("--subresource can not be used with NonResourceURL");
    attributes = { nonResourceAttributes: { path: target, verb } };
  } else {
    const slash = target.indexOf("/");
    const typeArg = slash >= 0 ? target.slice(0, slash) : target;
    const name = slash >= 0 ? target.slice(slash + 1) : "";
    let group = "";
    let resource = typeArg;
    let namespaced = true;
    if (typeArg !== "*") {
      try {
        const r = await (await ctx.factory.discovery()).resolve(typeArg.toLowerCase());
        group = r.group;
        resource = r.resource;
        namespaced = r.namespaced;
      } catch (e) {
        if (!(e instanceof NoResourceTypeError)) throw e;
        const dot = typeArg.toLowerCase().indexOf(".");
        const res = dot >= 0 ? typeArg.toLowerCase().slice(0, dot) : typeArg.toLowerCase();
        const grp = dot >= 0 ? typeArg.toLowerCase().slice(dot + 1) : "";
        if (!NON_STANDARD.includes(grp ? `${res}.${grp}` : res)) {
          warn(grp ? `the server doesn't have a resource type '${res}' in group '${grp}'` : `the server doesn't have a resource type '${res}'`);
        }
      }
    }
    if (!allNs && typeArg !== "*" && !namespaced) {
      warn(group ? `resource '${resource}' is not namespace scoped in group '${group}'` : `resource '${resource}' is not namespace scoped`);
    }
    if (!KNOWN_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
    attributes = {
      resourceAttributes: {
        ...(namespace ? { namespace } : {}),
        verb,
        ...(group ? { group } : {}),
        resource,
        ...(flags.string("subresource") ? { subresource: flags.string("subresource") } : {}),
        ...(name ? { name } : {}),
      },
    };
  }
  const rest = await ctx.factory.rest();
  const review = await rest.json<{ status?: { allowed?: boolean; reason?: string; evaluationError?: string } }>(
    "POST",
    pathFor({ group: "authorization.k8s.io", version: "v1", resource: "selfsubjectaccessreviews", namespaced: false }),
    { body: { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null }, spec: attributes, status: { allowed: false } } },
  );
  const st = review.status ?? {};
  if (!flags.bool("quiet")) {
    if (st.allowed) io.stdout.write("yes\n");
    else io.stdout.write(`no${st.reason ? ` - ${st.reason}` : ""}${st.evaluationError ? ` - ${st.evaluationError}` : ""}\n`);
  }
  return st.allowed ? 0 : 1;
}

async function whoami(ctx: CommandContext): Promise<number> {
  if (ctx.flags.string("output")) throw new UsageError("whoami -o is not available in kubelab's kubectl");
  const rest = await ctx.factory.rest();
  type Review = { status?: { userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } } };
  const post = (version: string) =>
    rest.json<Review>("POST", pathFor({ group: "authentication.k8s.io", version, resource: "selfsubjectreviews", namespaced: false }), {
      body: { kind: "SelfSubjectReview", apiVersion: `authentication.k8s.io/${version}`, metadata: { creationTimestamp: null }, status: { userInfo: {} } },
    });
  let review: Review;
  if ((await ctx.factory.clientBehaviour()).has("selfSubjectReviewV1")) review = await post("v1");
  else {
    // 1.27 knows only the alpha and beta APIs: alpha first, beta when alpha is not served.
    const notFound = (e: unknown) => e instanceof StatusError && e.code === 404;
    try {
      review = await post("v1alpha1").catch((e: unknown) => (notFound(e) ? post("v1beta1") : Promise.reject(e)));
    } catch (e) {
      if (notFound(e)) throw new UsageError("the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API");
      throw e;
    }
  }
  const u = review.status?.userInfo ?? {};
  let out = "";
  const tw = newGetTabWriter((s) => (out += s));
  tw.write("ATTRIBUTE\tVALUE\n");
  if (u.username) tw.write(`Username\t${u.username}\n`);
  if (u.uid) tw.write(`UID\t${u.uid}\n`);
  if (u.groups?.length) tw.write(`Groups\t[${u.groups.join(" ")}]\n`);
  for (const k of Object.keys(u.extra ?? {}).sort()) tw.write(`Extra: ${k}\t[${u.extra![k]!.join(" ")}]\n`);
  tw.flush();
  ctx.io.stdout.write(out);
  return 0;
}

export async function run(ctx: CommandContext): Promise<number> {
  return ctx.commandPath.endsWith("whoami") ? whoami(ctx) : canI(ctx);
}
