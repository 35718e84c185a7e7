// kubelab's page: the lesson (left), the lab terminal and a cluster picture
// (right). Talks to the server over /api (JSON), /ws/terminal (the terminal
// protocol, docs/terminal-protocol.md) and /ws/events (step status, picture).

import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";

interface Step {
  id: string;
  title: string;
  html?: string;
  hints?: string[];
  solution?: { html: string; commands: string[] };
  done: boolean;
}
interface Lesson {
  id: string;
  title: string;
  description?: string;
  html: string;
  steps: Step[];
  finishHtml?: string;
}
interface PicturePod {
  namespace: string;
  name: string;
  status: string;
}
interface Picture {
  nodes: { name: string; ready: boolean; pods: PicturePod[] }[];
  pending: PicturePod[];
}
type LiveEvent =
  | { type: "hello"; restored: boolean; steps: Record<string, boolean>; speed: number }
  | { type: "step"; lesson: string; step: string; done: boolean; message?: string }
  | { type: "picture"; picture: Picture }
  | { type: "cluster"; state: "resetting" | "ready"; generation: number }
  | { type: "clock"; speed: number }
  | { type: "command" };

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const wsURL = (path: string) => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(path, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = (await r.json().catch(() => ({}))) as T & { error?: string };
  if (!r.ok) throw new Error(body.error ?? `${r.status} ${r.statusText}`);
  return body;
}

function notice(text: string | undefined): void {
  const n = $("#notice");
  n.hidden = !text;
  n.textContent = text ?? "";
}

// ---- terminal -------------------------------------------------------------

const term = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000, fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, monospace', theme: { background: "#1e1e1e" } });
const fit = new FitAddon();
term.loadAddon(fit);
let termSocket: WebSocket | undefined;
let terminalToken = "";
const REFUSED: Record<number, string> = {
  4401: "The terminal refused this page's token. Reload the page.",
  4403: "The terminal refused this page's origin.",
  4404: "This session is not running. Reload the page.",
  4409: "The terminal was opened in another tab. Reload to take it back.",
};

function sendTerm(msg: object): void {
  if (termSocket?.readyState === WebSocket.OPEN) termSocket.send(JSON.stringify(msg));
}

function connectTerminal(delay = 500): void {
  const ws = new WebSocket(wsURL("/ws/terminal"));
  ws.binaryType = "arraybuffer";
  termSocket = ws;
  ws.onopen = () => {
    $("#term-status").textContent = "";
    fit.fit();
    ws.send(JSON.stringify({ type: "init", token: terminalToken, cols: term.cols, rows: term.rows }));
  };
  ws.onmessage = (ev) => {
    if (ev.data instanceof ArrayBuffer) {
      const bytes = new Uint8Array(ev.data);
      // Acknowledge once xterm has parsed the bytes: the server's flow control counts these.
      term.write(bytes, () => sendTerm({ type: "ack", bytes: bytes.length }));
      return;
    }
    const msg = JSON.parse(String(ev.data)) as { type: string; replayed?: number };
    if (msg.type === "ready" && msg.replayed === 0) term.reset();
    if (msg.type === "ready" && msg.replayed) term.write("\r\n");
  };
  ws.onclose = (ev) => {
    if (termSocket !== ws) return;
    termSocket = undefined;
    const why = REFUSED[ev.code];
    if (why) {
      $("#term-status").textContent = why;
      return;
    }
    // 4410: the shell exited; any other drop: the server restarted or the network blinked.
    $("#term-status").textContent = ev.code === 4410 ? "" : "Terminal disconnected, reconnecting…";
    setTimeout(() => connectTerminal(Math.min(delay * 2, 5000)), ev.code === 4410 ? 0 : delay);
  };
}

term.onData((data) => sendTerm({ type: "input", data }));
term.onResize(({ cols, rows }) => sendTerm({ type: "resize", cols, rows }));
new ResizeObserver(() => fit.fit()).observe($("#terminal"));

/** Types a lesson command into the terminal, as the learner would. */
function runCommand(command: string): void {
  const text = command.replace(/\r?\n/g, "\r");
  sendTerm({ type: "input", data: `${text}\r` });
  term.focus();
}

// ---- lesson ---------------------------------------------------------------

let lessons: { id: string; title: string; done: number }[] = [];
let current: Lesson | undefined;
const stepState = new Map<string, boolean>();

function renderLesson(l: Lesson): void {
  const art = $("#lesson");
  const steps = l.steps
    .map(
      (s, i) => `<li class="step${s.done ? " done" : ""}" data-step="${esc(s.id)}">
  <h2><span class="mark" aria-hidden="true">${s.done ? "✓" : i + 1}</span><span>${esc(s.title)}</span><span class="visually-hidden status">${s.done ? "(done)" : "(not done yet)"}</span></h2>
  ${s.html ?? ""}
  ${(s.hints ?? []).map((h, j) => `<details class="hint"><summary>Hint ${j + 1}</summary>${h}</details>`).join("")}
  ${s.solution ? `<details class="solution"><summary>Show solution</summary>${s.solution.html}</details>` : ""}
  <p class="why" aria-live="polite"></p>
</li>`,
    )
    .join("");
  // Authors usually open the lesson with its own "# Title"; add one only when they did not.
  const title = /<h1[\s>]/.test(l.html) ? "" : `<h1>${esc(l.title)}</h1>`;
  art.innerHTML = `${title}${l.html}<ol class="steps">${steps}</ol>${l.finishHtml ?? ""}`;
  stepState.clear();
  for (const s of l.steps) stepState.set(s.id, s.done);
  const i = lessons.findIndex((x) => x.id === l.id);
  ($("#prev") as HTMLButtonElement).disabled = i <= 0;
  ($("#next") as HTMLButtonElement).disabled = i < 0 || i >= lessons.length - 1;
  $("#lesson-pane").scrollTop = 0;
}

function markStep(step: string, done: boolean, message?: string): void {
  const li = document.querySelector<HTMLElement>(`.step[data-step="${CSS.escape(step)}"]`);
  if (!li) return;
  stepState.set(step, done);
  li.classList.toggle("done", done);
  const idx = [...li.parentElement!.children].indexOf(li) + 1;
  li.querySelector(".mark")!.textContent = done ? "✓" : String(idx);
  li.querySelector(".status")!.textContent = done ? "(done)" : "(not done yet)";
  li.querySelector(".why")!.textContent = !done && message ? message : "";
}

async function openLesson(id: string): Promise<void> {
  await api(`/api/lessons/${encodeURIComponent(id)}/open`, { method: "POST" });
  current = await api<Lesson>(`/api/lessons/${encodeURIComponent(id)}`);
  ($("#lesson-select") as HTMLSelectElement).value = id;
  renderLesson(current);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

$("#lesson").addEventListener("click", (ev) => {
  const target = (ev.target as HTMLElement).closest<HTMLElement>("[data-action]");
  if (!target) return;
  const holder = target.closest<HTMLElement>("[data-command]");
  const command = holder?.dataset.command;
  if (!command) return;
  if (target.dataset.action === "run") runCommand(command);
  else if (target.dataset.action === "copy") {
    void navigator.clipboard.writeText(command).then(() => {
      const before = target.textContent;
      if (target.tagName === "BUTTON") {
        target.textContent = "Copied";
        setTimeout(() => (target.textContent = before), 1200);
      }
    });
  }
});
$("#lesson-select").addEventListener("change", (ev) => void openLesson((ev.target as HTMLSelectElement).value).catch((e: Error) => notice(e.message)));
const step = (d: number) => {
  const i = lessons.findIndex((x) => x.id === current?.id);
  const next = lessons[i + d];
  if (next) void openLesson(next.id).catch((e: Error) => notice(e.message));
};
$("#prev").addEventListener("click", () => step(-1));
$("#next").addEventListener("click", () => step(1));

// ---- cluster picture and controls ------------------------------------------

function renderPicture(p: Picture): void {
  const chip = (pod: PicturePod) =>
    `<span class="chip ${esc(pod.status)}${pod.namespace === "kube-system" || pod.namespace === "kube-flannel" ? " system" : ""}" title="${esc(`${pod.namespace}/${pod.name}: ${pod.status}`)}">${esc(pod.name)}</span>`;
  const nodes = p.nodes
    .map((n) => `<div class="node${n.ready ? "" : " notready"}"><div class="node-name">${esc(n.name)} <span class="state">${n.ready ? "Ready" : "NotReady"}</span></div><div class="chips">${n.pods.map(chip).join("")}</div></div>`)
    .join("");
  const pending = p.pending.length ? `<div class="node"><div class="node-name">unscheduled</div><div class="chips">${p.pending.map(chip).join("")}</div></div>` : "";
  $("#cluster").innerHTML = nodes + pending;
}

function showSpeed(speed: number): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-speed]")) b.setAttribute("aria-pressed", String(Number(b.dataset.speed) === speed));
}

for (const b of document.querySelectorAll<HTMLButtonElement>("[data-speed]")) {
  b.addEventListener("click", () => void api<{ speed: number }>("/api/clock", { method: "POST", body: JSON.stringify({ speed: Number(b.dataset.speed) }) }).then((r) => showSpeed(r.speed), (e: Error) => notice(e.message)));
}
$("#skip").addEventListener("click", () => void api("/api/clock", { method: "POST", body: JSON.stringify({ skipSeconds: 60 }) }).catch((e: Error) => notice(e.message)));
$("#reset").addEventListener("click", () => {
  if (!confirm("Rebuild the cluster from scratch? Everything you created in it is lost, and this lesson's steps start over.")) return;
  notice("Rebuilding the cluster…");
  void api("/api/reset", { method: "POST" }).then(
    async () => {
      notice(undefined);
      if (current) await openLesson(current.id);
    },
    (e: Error) => notice(e.message),
  );
});

function connectEvents(delay = 500): void {
  const ws = new WebSocket(wsURL("/ws/events"));
  ws.onmessage = (ev) => {
    const e = JSON.parse(String(ev.data)) as LiveEvent;
    if (e.type === "hello") {
      showSpeed(e.speed);
      if (e.restored) notice("kubelab restarted: your cluster was rebuilt fresh. Steps you already finished stay finished.");
      for (const [s, done] of Object.entries(e.steps)) if (done) markStep(s, true);
    } else if (e.type === "step" && e.lesson === current?.id) markStep(e.step, e.done, e.message);
    else if (e.type === "picture") renderPicture(e.picture);
    else if (e.type === "clock") showSpeed(e.speed);
  };
  ws.onclose = (ev) => {
    if (ev.code >= 4400 && ev.code < 4500) return;
    setTimeout(() => connectEvents(Math.min(delay * 2, 5000)), delay);
  };
}

// ---- divider --------------------------------------------------------------

const divider = $("#divider");
const setLeft = (pct: number) => {
  const v = Math.min(80, Math.max(20, pct));
  document.documentElement.style.setProperty("--left", `${v}%`);
  localStorage.setItem("kubelab.left", String(v));
};
divider.addEventListener("pointerdown", (ev) => {
  divider.setPointerCapture(ev.pointerId);
  divider.classList.add("dragging");
  const move = (e: PointerEvent) => setLeft((e.clientX / window.innerWidth) * 100);
  const up = () => {
    divider.classList.remove("dragging");
    divider.removeEventListener("pointermove", move);
    divider.removeEventListener("pointerup", up);
  };
  divider.addEventListener("pointermove", move);
  divider.addEventListener("pointerup", up);
});
divider.addEventListener("keydown", (ev) => {
  const now = Number.parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--left")) || 46;
  if (ev.key === "ArrowLeft") setLeft(now - 2);
  if (ev.key === "ArrowRight") setLeft(now + 2);
});
const savedLeft = Number(localStorage.getItem("kubelab.left"));
if (savedLeft) setLeft(savedLeft);

// ---- start ----------------------------------------------------------------

async function main(): Promise<void> {
  term.open($("#terminal"));
  fit.fit();
  const session = await api<{ terminalToken: string; lesson: string | null; speed: number }>("/api/session");
  terminalToken = session.terminalToken;
  showSpeed(session.speed);
  connectTerminal();
  connectEvents();
  lessons = await api<typeof lessons>("/api/lessons");
  const select = $("#lesson-select") as HTMLSelectElement;
  select.innerHTML = lessons.map((l) => `<option value="${esc(l.id)}">${esc(l.title)}</option>`).join("");
  const first = session.lesson ?? lessons[0]?.id;
  if (first) await openLesson(first);
  else $("#lesson").innerHTML = '<p class="muted">No lessons found. Start kubelab with --lessons DIR.</p>';
  term.focus();
}

main().catch((e: Error) => notice(`kubelab could not start: ${e.message}`));
