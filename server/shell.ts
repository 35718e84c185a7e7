// The lab shell's files, written into a session's private (0700) directory:
// bin/ with a thin client per lab command and an `ssh` that opens a nested
// shell "on" another node, and the bash rcfile (prompt, history hook, kubectl
// completion). After the way Katacoda/Killercoda hosts dress a real shell.
// Leaves out: a sandbox (the shell is a real shell as the server's user).

import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bashCompletionScript } from "../src/kubectl/cmd/completion.ts";
import type { NodeInfo } from "./lab.ts";
import type { ThinClient } from "./thin-client.ts";

/** Commands that run in the server against the session's cluster. */
export const LAB_COMMANDS = ["kubectl", "systemctl", "crictl", "journalctl", "hostname", "ip", "curl", "etcdctl"] as const;
/** Hidden command the prompt hook uses to report each command line. */
export const HISTORY_COMMAND = "_kubelab_history";

export interface ShellFiles {
  binDir: string;
  rcfile: string;
  home: string;
  histfile: string;
  sshScript: string;
}

/** Single-quotes a string for bash. */
export function shq(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

export function writeShellFiles(options: { dir: string; nodes: NodeInfo[]; thinClient: ThinClient }): ShellFiles {
  const { dir, nodes, thinClient } = options;
  const binDir = join(dir, "bin");
  const home = join(dir, "root");
  const rcfile = join(dir, "bashrc");
  const histfile = join(dir, "bash_history");
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true, mode: 0o700 });
  mkdirSync(home, { recursive: true, mode: 0o700 });
  for (const name of [...LAB_COMMANDS, HISTORY_COMMAND]) {
    const target = join(binDir, name);
    if (thinClient.kind === "c") symlinkSync(thinClient.path, target);
    else {
      writeFileSync(target, `#!/bin/sh\nexec ${shq(process.execPath)} ${shq(thinClient.path)} ${shq(name)} "$@"\n`);
      chmodSync(target, 0o700);
    }
  }
  const sshScript = join(binDir, "ssh");
  writeFileSync(sshScript, sshSource(nodes, rcfile));
  chmodSync(sshScript, 0o700);
  const completionFile = join(dir, "kubectl-completion.bash");
  writeFileSync(completionFile, bashCompletionScript(), { mode: 0o600 });
  writeFileSync(rcfile, rcSource(binDir, histfile, completionFile), { mode: 0o600 });
  return { binDir, rcfile, home, histfile, sshScript };
}

/** `ssh NODE [COMMAND]`: a nested shell (or one command) with KUBELAB_NODE set. */
function sshSource(nodes: NodeInfo[], rcfile: string): string {
  const cases = nodes.map((n) => `  ${shq(n.name)}|${shq(n.ip)}) node=${shq(n.name)} ;;`).join("\n");
  return `#!/bin/bash
# kubelab: ssh to an emulated node = a nested shell whose lab commands act on that node.
host=
while [ $# -gt 0 ]; do
  case "$1" in
    -[46AaCfGgKkMNnqsTtVvXxYy]*) shift ;;
    -[BbcDEeFIiJLlmOopQRSWw]) shift 2 ;;
    -*) shift ;;
    *) host=$1; shift; break ;;
  esac
done
if [ -z "$host" ]; then
  echo "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-l login_name] [-p port] destination [command [argument ...]]" >&2
  exit 255
fi
host=\${host#*@}
case "$host" in
${cases}
  *) echo "ssh: Could not resolve hostname $host: Name or service not known" >&2; exit 255 ;;
esac
export KUBELAB_NODE=$node
cd "$HOME" 2>/dev/null
if [ $# -gt 0 ]; then exec bash -c "$*"; fi
exec bash --rcfile ${shq(rcfile)} -i
`;
}

function rcSource(binDir: string, histfile: string, completionFile: string): string {
  return `# kubelab lab shell (generated; see server/shell.ts)
case ":$PATH:" in *:${shq(binDir)}:*) ;; *) PATH=${shq(binDir)}:$PATH ;; esac
export PATH
export KUBELAB_NODE=\${KUBELAB_NODE:-master}
export HISTFILE=${shq(histfile)} HISTSIZE=10000 HISTFILESIZE=10000
shopt -s histappend checkwinsize
alias ls='ls --color=auto' grep='grep --color=auto' k=kubectl
PS1='[root@\${KUBELAB_NODE} \\W]# '

# Report each command line to the server (lesson checks read what was typed),
# once per new history entry; the first prompt only records where we start.
__kubelab_prompt() {
  local s=$? h
  history -a
  h=$(HISTTIMEFORMAT= history 1)
  if [[ $h =~ ^\\ *([0-9]+)\\*?\\ +(.*)$ ]]; then
    if [[ \${BASH_REMATCH[1]} != "$__kubelab_hn" ]]; then
      __kubelab_hn=\${BASH_REMATCH[1]}
      [[ -n $__kubelab_started ]] && ${HISTORY_COMMAND} "$s" "\${BASH_REMATCH[2]}"
    fi
  fi
  __kubelab_started=1
  return $s
}
PROMPT_COMMAND=__kubelab_prompt

# kubectl completion: kubectl's own bash script (what \`kubectl completion bash\`
# prints, written next to this file; it calls \`kubectl __complete\` on TAB). It needs
# bash-completion's _get_comp_words_by_ref; without that package, a small
# stand-in splits the line on blanks only (as -n =: asks) up to the cursor.
if ! declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
  for __f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
    [[ -r $__f ]] && . "$__f" && break
  done
  unset __f
fi
if ! declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
  _get_comp_words_by_ref() {
    local line=\${COMP_LINE:0:COMP_POINT}
    read -ra words <<< "$line"
    [[ $line == *[[:space:]] || \${#words[@]} -eq 0 ]] && words+=("")
    cword=$(( \${#words[@]} - 1 ))
    cur=\${words[cword]}
    prev=\${words[cword-1]}
  }
fi
. ${shq(completionFile)}
complete -o default -F __start_kubectl k
`;
}
