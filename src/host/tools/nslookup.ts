// busybox nslookup inside a pod (kubectl exec … -- nslookup NAME): asks
// CoreDNS (10.96.0.10) with the pod's resolv.conf search path and prints the
// first name that answers, as busybox 1.36 does for an A record.
// Leaves out: AAAA answers, the per-search-domain NXDOMAIN lines busybox
// prints along the way, record types other than A, and a server argument.

import type { CommandIO } from "../../utils/command.ts";
import type { NodeToolContext } from "./context.ts";
import { resolveName } from "./netstack.ts";

const DNS_IP = "10.96.0.10";

export async function nslookup(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const name = argv.find((a) => !a.startsWith("-"));
  if (!name) {
    io.stderr.write("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n");
    return 1;
  }
  const header = `Server:\t\t${DNS_IP}\nAddress:\t${DNS_IP}:53\n\n`;
  const fq = name.replace(/\.$/, "");
  const ns = ctx.pod?.namespace ?? "default";
  const candidates = name.endsWith(".") || fq.split(".").length > 5 ? [fq] : [`${fq}.${ns}.svc.cluster.local`, `${fq}.svc.cluster.local`, `${fq}.cluster.local`, fq];
  for (const c of candidates) {
    const ip = /^\d+\.\d+\.\d+\.\d+$/.test(fq) ? undefined : await resolveName(ctx, `${c}.`);
    if (ip && !ctx.cluster.hosts.has(c)) {
      io.stdout.write(`${header}Name:\t${c}\nAddress: ${ip}\n\n`);
      return 0;
    }
  }
  io.stdout.write(header);
  io.stderr.write(`** server can't find ${fq}: NXDOMAIN\n\n`);
  return 1;
}
