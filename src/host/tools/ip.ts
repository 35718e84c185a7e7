// iproute2's `ip` (5.15) on a node: `ip addr|a [show [dev] NAME]`, `ip link`,
// `ip route|r`, with -4/-6 and -br, in iproute2's exact layout (including the
// trailing spaces it prints after "scope link" and "group default").
// Leaves out: changing anything, neighbours, rules, namespaces, -j.

import type { CommandIO } from "../../utils/command.ts";
import { hostOf, type NodeToolContext } from "./context.ts";
import { type Iface, nodeInterfaces, nodeRoutes } from "./netstack.ts";

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |
                   macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

function matches(word: string, full: string, min = 1): boolean {
  return word.length >= min && full.startsWith(word);
}

function header(i: Iface): string {
  const master = i.master ? ` master ${i.master}` : "";
  const qlen = i.qlen !== undefined ? ` qlen ${i.qlen}` : " ";
  return `${i.index}: ${i.name}: <${i.flags.join(",")}> mtu ${i.mtu} qdisc ${i.qdisc}${master} state ${i.state} group default${qlen}\n`;
}

function link(i: Iface): string {
  const kind = i.loopback ? "loopback" : "ether";
  const brd = i.loopback ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff";
  return `    link/${kind} ${i.mac} brd ${brd}${i.linkNetns ? ` link-netns ${i.linkNetns}` : ""}\n`;
}

function addrBlock(i: Iface, family: 4 | 6 | 0): string {
  let s = "";
  if (family !== 6 && i.inet) {
    const brd = i.inet.brd ? ` brd ${i.inet.brd}` : "";
    s += `    inet ${i.inet.cidr}${brd} scope ${i.inet.scope} ${i.name.replace(/@.*$/, "")}\n       valid_lft forever preferred_lft forever\n`;
  }
  if (family !== 4) {
    s += `    inet6 ${i.inet6} scope ${i.loopback ? "host" : "link"} \n       valid_lft forever preferred_lft forever\n`;
  }
  return s;
}

function brief(i: Iface, addresses: boolean, family: 4 | 6 | 0): string {
  const state = i.state.padEnd(14);
  if (!addresses) return `${i.name.padEnd(16)} ${state} ${i.mac} <${i.flags.join(",")}> \n`;
  const addrs = [family !== 6 && i.inet ? i.inet.cidr : undefined, family !== 4 ? i.inet6 : undefined].filter(Boolean);
  return `${i.name.padEnd(16)} ${state} ${addrs.join(" ")} \n`;
}

export async function ip(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const host = hostOf(ctx);
  let family: 4 | 6 | 0 = 0;
  let isBrief = false;
  const args: string[] = [];
  for (const a of argv) {
    if (a === "-4") family = 4;
    else if (a === "-6") family = 6;
    else if (a === "-br" || a === "-brief") isBrief = true;
    else if (a === "-c" || a === "-color" || a.startsWith("-color=") || a === "-d" || a === "-details") continue;
    else if (a.startsWith("-") && args.length === 0) {
      io.stderr.write(`Option "${a}" is unknown, try "ip -help".\n`);
      return 255;
    } else args.push(a);
  }
  const object = args.shift();
  if (object === undefined || object === "help") {
    io.stderr.write(USAGE);
    return object === undefined ? 255 : 0;
  }
  const isAddr = matches(object, "address");
  const isLink = matches(object, "link");
  const isRoute = matches(object, "route");
  if (!isAddr && !isLink && !isRoute) {
    io.stderr.write(`Object "${object}" is unknown, try "ip help".\n`);
    return 1;
  }
  const cmd = args[0] && !["dev"].includes(args[0]) && !nodeInterfaces(host).some((i) => i.name.replace(/@.*$/, "") === args[0]) ? args.shift()! : "show";
  if (!matches(cmd, "show") && !matches(cmd, "list") && cmd !== "lst") {
    io.stderr.write(`Command "${cmd}" is unknown, try "ip ${isAddr ? "address" : isLink ? "link" : "route"} help".\n`);
    return 255;
  }
  if (isRoute) {
    if (family === 6) {
      io.stdout.write("::1 dev lo proto kernel metric 256 pref medium\nfe80::/64 dev eth0 proto kernel metric 256 pref medium\n");
      return 0;
    }
    io.stdout.write(nodeRoutes(ctx, host).map((l) => `${l}\n`).join(""));
    return 0;
  }
  if (args[0] === "dev") args.shift();
  const want = args[0];
  let ifs = nodeInterfaces(host);
  if (want !== undefined) {
    ifs = ifs.filter((i) => i.name.replace(/@.*$/, "") === want || i.name === want);
    if (ifs.length === 0) {
      io.stderr.write(`Device "${want}" does not exist.\n`);
      return 1;
    }
  }
  let out = "";
  for (const i of ifs) {
    if (isBrief) {
      out += brief(i, isAddr, family);
      continue;
    }
    if (isAddr && family === 4 && !i.inet) continue;
    out += header(i);
    if (isAddr && family !== 0) {
      out += addrBlock(i, family);
      continue;
    }
    out += link(i);
    if (isAddr) out += addrBlock(i, family);
  }
  io.stdout.write(out);
  return 0;
}
