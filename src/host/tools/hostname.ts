// hostname(1) on a node: the node's name, -i/-I its addresses (-I also lists
// flannel.1 and cni0, with the trailing space net-tools prints).

import type { CommandIO } from "../../utils/command.ts";
import { hostOf, type NodeToolContext } from "./context.ts";

export async function hostname(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const host = hostOf(ctx);
  const flag = argv[0];
  if (flag === undefined || flag === "-s" || flag === "--short" || flag === "-f" || flag === "--fqdn" || flag === "--long") {
    io.stdout.write(`${host.name}\n`);
    return 0;
  }
  if (flag === "-i" || flag === "--ip-address") {
    io.stdout.write(`${host.ip}\n`);
    return 0;
  }
  if (flag === "-I" || flag === "--all-ip-addresses") {
    const extra = host
      .interfaces()
      .filter((i) => i.cidr && i.name !== "lo" && i.name !== "eth0")
      .map((i) => i.cidr!.split("/")[0]!);
    io.stdout.write(`${[host.ip, ...extra].join(" ")} \n`);
    return 0;
  }
  if (flag.startsWith("-")) {
    io.stderr.write(`hostname: invalid option -- '${flag.replace(/^-+/, "")[0]}'\nTry 'hostname --help' or 'hostname --usage' for more information.\n`);
    return 1;
  }
  io.stderr.write("hostname: you must be root to change the host name\n");
  return 1;
}
