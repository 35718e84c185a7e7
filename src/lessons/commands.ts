// Which code blocks are commands, and what the commands in them are: the text
// a Run button types into the terminal, and the lines a solution runs.
// `console` blocks mix prompts and output: only the `$ `/`# ` lines count.

export const SHELL_LANGS = new Set(["bash", "sh", "shell", "console", "shellscript", "zsh"]);

/** Killercoda's marks on a fence's info string: ```bash {{exec}}. */
export function fenceMarks(info: string): { lang: string; exec: boolean; copy: boolean; check: boolean } {
  const words = info.trim().split(/\s+/).filter(Boolean);
  const lang = (words[0] ?? "").replace(/\{.*$/, "").toLowerCase(); // ```yaml{2,5} line highlights
  const rest = words.slice(1).join(" ");
  return {
    lang: lang.startsWith("{{") ? "" : lang,
    exec: /\{\{exec( interrupt)?\}\}/.test(info),
    copy: /\{\{copy\}\}/.test(info),
    check: lang === "yaml" && /(^|\s)check(\s|$)/.test(rest),
  };
}

/** The command text of a shell block (what Run types, what Copy copies). */
export function blockCommand(lang: string, text: string): string {
  if (lang !== "console") return text.replace(/\n+$/, "");
  const lines = text.split("\n").filter((l) => /^\s*[$#] /.test(l));
  return lines.map((l) => l.replace(/^\s*[$#] /, "")).join("\n");
}

/** Logical command lines: `\` continuations joined, blank lines and comments dropped. */
export function commandLines(script: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const raw of script.split("\n")) {
    const line = raw.replace(/\s+$/, "");
    if (line.endsWith("\\")) {
      cur += line.slice(0, -1) + " ";
      continue;
    }
    cur += line;
    const t = cur.trim();
    cur = "";
    if (t && !t.startsWith("#")) out.push(t);
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
