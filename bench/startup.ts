// Start-up as a learner meets it: `npm start` (node server/bin/kubelab.mjs
// serve) until the server listens, until the page's first lesson is served
// (GET /?token=… makes the session and its cluster, then /api/lessons and
// /api/lessons/<first>), and until its terminal shows the first prompt; then a
// second learner's new session on the warm server, from login to prompt.
// Each run starts a fresh server process; medians over the runs, in ms.
//
//   npx tsx bench/startup.ts [--runs 5] [--json] [-- SERVE-FLAGS...]
//   e.g. npx tsx bench/startup.ts -- --age 0       # clusters not aged
//        npx tsx bench/startup.ts -- --sandbox     # shells in bubblewrap

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";

const root = join(import.meta.dirname, "..");
const PROMPT = "[root@master ~]# ";

export interface StartupSample {
  /** Process start until "kubelab is running at …" is printed. */
  listenMs: number;
  /** Process start until GET /api/lessons/<first> answers 200 (includes the first session's cluster). */
  firstLessonMs: number;
  /** Process start until that session's terminal shows its first prompt. */
  firstPromptMs: number;
  /** On the running server: a new learner's login until their terminal's first prompt. */
  newSessionMs: number;
  /** CPU (user+system, all threads) the server process spent until listening: steadier than wall time on a busy machine. */
  listenCpuMs: number;
  /** …and until the first prompt. */
  firstPromptCpuMs: number;
}

export interface StartupResult {
  runs: number;
  serveFlags: string[];
  samples: StartupSample[];
  medians: StartupSample;
}

/** A process's CPU time so far, from /proc (Linux; clock ticks are 1/100 s there). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function login(base: string, token: string): Promise<string> {
  const r = await fetch(`${base}/?token=${token}`, { redirect: "manual" });
  const cookie = r.headers.get("set-cookie");
  if (r.status !== 302 || !cookie) throw new Error(`login: HTTP ${r.status}`);
  return cookie.split(";")[0]!;
}

async function getJSON<T>(url: string, cookie: string): Promise<T> {
  const r = await fetch(url, { headers: { cookie } });
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

/** Opens the session's terminal as the page does and resolves at the first prompt. */
async function firstPrompt(base: string, cookie: string): Promise<void> {
  const { terminalToken } = await getJSON<{ terminalToken: string }>(`${base}/api/session`, cookie);
  const ws = new WebSocket(`${base.replace("http", "ws")}/ws/terminal`, { headers: { cookie, origin: base } });
  await new Promise<void>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no prompt; got ${JSON.stringify(text)}`)), 60_000);
    ws.on("open", () => ws.send(JSON.stringify({ type: "init", token: terminalToken, cols: 100, rows: 30 })));
    ws.on("message", (data, isBinary) => {
      if (!isBinary) return;
      text += String(data);
      if (text.includes(PROMPT)) {
        clearTimeout(timer);
        resolve();
      }
    });
    ws.on("error", reject);
    ws.on("close", (code) => reject(new Error(`terminal closed ${code}`)));
  });
  ws.removeAllListeners("close");
  ws.close();
}

async function oneRun(serveFlags: string[]): Promise<StartupSample> {
  const data = mkdtempSync(join(tmpdir(), "kubelab-startup-"));
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, "server/bin/kubelab.mjs"), "serve", "--port", "0", "--data", data, ...serveFlags], {
    cwd: root,
    env: { ...process.env, HOME: data },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const m = out.match(/kubelab is running at (http:\/\/\S+)\/\?token=(\S+)/);
        if (m) resolve(`${m[1]} ${m[2]}`);
      });
      child.stderr.on("data", (c: Buffer) => void (out += c.toString()));
      child.on("exit", (code) => reject(new Error(`kubelab serve exited ${code}:\n${out}`)));
    });
    const listenMs = performance.now() - t0;
    const listenCpuMs = cpuMs(child.pid!);
    const [base, token] = url.split(" ") as [string, string];
    const cookie = await login(base, token);
    const lessons = await getJSON<{ id: string }[]>(`${base}/api/lessons`, cookie);
    await getJSON(`${base}/api/lessons/${lessons[0]!.id}`, cookie);
    const firstLessonMs = performance.now() - t0;
    await firstPrompt(base, cookie);
    const firstPromptMs = performance.now() - t0;
    const firstPromptCpuMs = cpuMs(child.pid!);
    const t1 = performance.now();
    await firstPrompt(base, await login(base, token));
    const newSessionMs = performance.now() - t1;
    return { listenMs, firstLessonMs, firstPromptMs, newSessionMs, listenCpuMs, firstPromptCpuMs };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("close", r));
    rmSync(data, { recursive: true, force: true });
  }
}

export async function measureStartup(options: { runs?: number; serveFlags?: string[]; log?: (s: string) => void } = {}): Promise<StartupResult> {
  const runs = options.runs ?? 5;
  const serveFlags = options.serveFlags ?? [];
  const samples: StartupSample[] = [];
  for (let i = 0; i < runs; i++) {
    const s = await oneRun(serveFlags);
    options.log?.(`run ${i + 1}: ${Object.entries(s).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")}`);
    samples.push(s);
  }
  const pick = (k: keyof StartupSample) => Math.round(median(samples.map((s) => s[k])));
  const medians = Object.fromEntries(Object.keys(samples[0]!).map((k) => [k, pick(k as keyof StartupSample)])) as unknown as StartupSample;
  return { runs, serveFlags, samples, medians };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const dd = argv.indexOf("--");
  const own = dd >= 0 ? argv.slice(0, dd) : argv;
  const serveFlags = dd >= 0 ? argv.slice(dd + 1) : [];
  const i = own.indexOf("--runs");
  const runs = i >= 0 ? Number(own[i + 1]) : 5;
  const r = await measureStartup({ runs, serveFlags, log: (s) => process.stderr.write(`${s}\n`) });
  if (own.includes("--json")) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else {
    const m = r.medians;
    process.stdout.write(
      `kubelab serve ${serveFlags.join(" ")} — median of ${runs} runs (ms)\n` +
        `  process start → listening              ${m.listenMs}\n` +
        `  process start → first lesson (HTTP 200) ${m.firstLessonMs}\n` +
        `  process start → first terminal prompt   ${m.firstPromptMs}\n` +
        `  new session: login → terminal prompt    ${m.newSessionMs}\n` +
        `  server CPU until listening              ${m.listenCpuMs}\n` +
        `  server CPU until first prompt           ${m.firstPromptCpuMs}\n`,
    );
  }
}
