#!/usr/bin/env node
// kubelab thin client, JavaScript edition: the fallback when no C compiler is
// present (thin-client.c is the same protocol and starts ~100x faster).
// Usage: thin-client.mjs COMMAND [ARGS...]. Protocol: docs/terminal-protocol.md.
import { spawnSync } from "node:child_process";
import { connect } from "node:net";

const [name, ...args] = process.argv.slice(2);
const sock = process.env.KUBELAB_SOCK;
const token = process.env.KUBELAB_TOKEN;
if (!name) {
  process.stderr.write("usage: thin-client.mjs COMMAND [ARGS...]\n");
  process.exit(2);
}
if (!sock || !token) {
  process.stderr.write(`${name}: not inside a kubelab shell (KUBELAB_SOCK is not set)\n`);
  process.exit(1);
}
const ENV_KEYS = ["KUBECONFIG", "KUBELAB_NODE", "KUBE_EDITOR", "EDITOR", "HOME", "TERM", "COLUMNS", "KUBECTL_EXTERNAL_DIFF", "NO_COLOR"];

function frame(type, payload = Buffer.alloc(0)) {
  const h = Buffer.alloc(5);
  h.write(type, 0, "latin1");
  h.writeUInt32BE(payload.length, 1);
  return Buffer.concat([h, payload]);
}

const tty = process.stdout.isTTY === true;
const fields = [token, tty ? "1" : "0", tty && process.stdout.columns ? String(process.stdout.columns) : "", process.cwd(), `A${name}`, ...args.map((a) => `A${a}`)];
for (const k of ENV_KEYS) if (process.env[k] !== undefined) fields.push(`E${k}=${process.env[k]}`);
const hello = Buffer.concat(fields.map((f) => Buffer.from(`${f}\0`)));

const s = connect(sock);
s.on("error", (e) => {
  process.stderr.write(`${name}: cannot reach the kubelab server (${sock}): ${e.message}\n`);
  process.exit(1);
});
s.write(frame("H", hello));
let interrupts = 0;
process.on("SIGINT", () => {
  if (++interrupts > 1) process.exit(130);
  s.write(frame("S"));
});

let pending = Buffer.alloc(0);
let stdinStarted = false;
s.on("data", (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 5) {
    const n = pending.readUInt32BE(1);
    if (pending.length < 5 + n) break;
    const type = String.fromCharCode(pending[0]);
    const body = pending.subarray(5, 5 + n);
    pending = pending.subarray(5 + n);
    if (type === "O") process.stdout.write(body);
    else if (type === "E") process.stderr.write(body);
    else if (type === "R" && !stdinStarted) {
      stdinStarted = true;
      process.stdin.on("data", (d) => s.write(frame("I", d)));
      process.stdin.on("end", () => s.write(frame("D")));
    } else if (type === "T") {
      // Run a program (kubectl edit's editor) in this terminal and report its exit code.
      const argv = body.toString("utf8").split("\0").slice(0, -1);
      let code = 127;
      if (argv.length > 0) {
        const r = spawnSync(argv[0], argv.slice(1), { stdio: "inherit" });
        const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
        code = r.error ? 127 : r.status ?? 128 + (SIGNALS[r.signal] ?? 0);
      }
      const c = Buffer.alloc(4);
      c.writeInt32BE(code);
      s.write(frame("T", c));
    } else if (type === "X") {
      const code = body.readInt32BE(0);
      // Flush our stdout before exiting so a pipe reader sees everything.
      process.stdout.write("", () => process.exit(code));
      return;
    }
  }
});
s.on("end", () => {
  process.stderr.write(`${name}: the kubelab server closed the connection\n`);
  process.exit(1);
});
