/* kubelab thin client: forwards one command (kubectl, systemctl, crictl...) from
 * the lab shell to the kubelab server over the session's Unix socket and
 * streams stdout, stderr and the exit code back. Compiled with cc at server
 * start when a compiler exists (about 1 ms to start, against ~135 ms for node);
 * thin-client.mjs is the same protocol in JavaScript, the fallback.
 * Protocol: docs/terminal-protocol.md, "Exec bridge". Invoked through a symlink
 * named after the command, or as `thin-client NAME ARGS...`. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted = 0;
static void on_sigint(int sig) { (void)sig; interrupted++; }

static char *buf; static size_t len, cap;
static void put(const void *p, size_t n) {
  if (len + n > cap) { cap = (len + n) * 2 + 4096; buf = realloc(buf, cap); if (!buf) exit(1); }
  memcpy(buf + len, p, n); len += n;
}
static void puts0(const char *prefix, const char *s) { put(prefix, strlen(prefix)); put(s, strlen(s) + 1); }

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) { if (errno == EINTR) continue; return -1; }
    p += w; n -= (size_t)w;
  }
  return 0;
}
static int send_frame(int fd, char type, const char *p, uint32_t n) {
  unsigned char h[5] = {(unsigned char)type, n >> 24, n >> 16, n >> 8, n};
  if (write_all(fd, (const char *)h, 5) < 0) return -1;
  return n ? write_all(fd, p, n) : 0;
}

/* Runs argv (NUL-terminated strings in p[0..n)) in this terminal, as kubectl
 * edit runs the editor: the child has our stdin/stdout/stderr. Returns its exit
 * status (128+signal if killed, 127 if it could not be started). */
static int run_in_terminal(const char *p, uint32_t n, struct sigaction *on_int) {
  char *args[256]; int argc = 0;
  for (uint32_t i = 0; i < n && argc < 255; ) {
    args[argc++] = (char *)p + i;
    while (i < n && p[i]) i++;
    i++;
  }
  args[argc] = 0;
  if (argc == 0 || p[n - 1] != 0) return 127;
  /* The editor owns the terminal now: a Ctrl-C there is its business, not the command's. */
  signal(SIGINT, SIG_IGN);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    execvp(args[0], args);
    _exit(127);
  }
  int status = 0, code = 127;
  if (pid > 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
  }
  sigaction(SIGINT, on_int, 0);
  return code;
}

static const char *ENV_KEYS[] = {"KUBECONFIG", "KUBELAB_NODE", "KUBE_EDITOR", "EDITOR", "HOME", "TERM", "COLUMNS", "KUBECTL_EXTERNAL_DIFF", "NO_COLOR", 0};

int main(int argc, char **argv) {
  const char *name = strrchr(argv[0], '/'); name = name ? name + 1 : argv[0];
  int first = 1;
  if (strcmp(name, "thin-client") == 0) {
    if (argc < 2) { fprintf(stderr, "usage: thin-client COMMAND [ARGS...]\n"); return 2; }
    name = argv[1]; first = 2;
  }
  const char *sock = getenv("KUBELAB_SOCK"), *token = getenv("KUBELAB_TOKEN");
  if (!sock || !token) { fprintf(stderr, "%s: not inside a kubelab shell (KUBELAB_SOCK is not set)\n", name); return 1; }

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {0};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, sock, sizeof addr.sun_path - 1);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    fprintf(stderr, "%s: cannot reach the kubelab server (%s): %s\n", name, sock, strerror(errno));
    return 1;
  }

  char cwd[4096]; if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
  char cols[16] = "";
  struct winsize ws;
  int tty = isatty(1);
  if (tty && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) snprintf(cols, sizeof cols, "%u", ws.ws_col);
  puts0("", token); puts0("", tty ? "1" : "0"); puts0("", cols); puts0("", cwd);
  puts0("A", name);
  for (int i = first; i < argc; i++) puts0("A", argv[i]);
  for (int i = 0; ENV_KEYS[i]; i++) {
    const char *v = getenv(ENV_KEYS[i]);
    if (v) { put("E", 1); put(ENV_KEYS[i], strlen(ENV_KEYS[i])); put("=", 1); put(v, strlen(v) + 1); }
  }
  if (send_frame(fd, 'H', buf, (uint32_t)len) < 0) return 1;

  struct sigaction sa = {0};
  sa.sa_handler = on_sigint; /* no SA_RESTART: poll returns EINTR and we forward the interrupt */
  sigaction(SIGINT, &sa, 0);
  signal(SIGPIPE, SIG_IGN);

  int reading_stdin = 0, sent_interrupts = 0;
  unsigned char hdr[5]; size_t hdr_have = 0;
  char *payload = 0; uint32_t want = 0, have = 0; char type = 0;
  char io[65536];
  for (;;) {
    if (interrupted > sent_interrupts) {
      sent_interrupts = interrupted;
      if (sent_interrupts > 1) return 130; /* a second Ctrl-C gives up waiting */
      send_frame(fd, 'S', 0, 0);
    }
    struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
    int n = poll(p, reading_stdin ? 2 : 1, -1);
    if (n < 0) { if (errno == EINTR) continue; return 1; }
    if (reading_stdin && (p[1].revents & (POLLIN | POLLHUP))) {
      ssize_t r = read(0, io, sizeof io);
      if (r > 0) send_frame(fd, 'I', io, (uint32_t)r);
      else if (r == 0 || errno != EINTR) { send_frame(fd, 'D', 0, 0); reading_stdin = 0; }
    }
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    ssize_t r;
    if (hdr_have < 5) r = read(fd, hdr + hdr_have, 5 - hdr_have);
    else r = read(fd, payload + have, want - have);
    if (r < 0) { if (errno == EINTR) continue; return 1; }
    if (r == 0) { fprintf(stderr, "%s: the kubelab server closed the connection\n", name); return 1; }
    if (hdr_have < 5) {
      hdr_have += (size_t)r;
      if (hdr_have < 5) continue;
      type = (char)hdr[0];
      want = ((uint32_t)hdr[1] << 24) | ((uint32_t)hdr[2] << 16) | ((uint32_t)hdr[3] << 8) | hdr[4];
      have = 0; free(payload); payload = malloc(want ? want : 1);
      if (want > 0) continue;
    } else {
      have += (uint32_t)r;
      if (have < want) continue;
    }
    hdr_have = 0;
    switch (type) {
      case 'O': write_all(1, payload, want); break;
      case 'E': write_all(2, payload, want); break;
      case 'R': reading_stdin = 1; break;
      case 'T': {
        int code = run_in_terminal(payload, want, &sa);
        unsigned char c[4] = {(unsigned char)((uint32_t)code >> 24), (unsigned char)((uint32_t)code >> 16), (unsigned char)((uint32_t)code >> 8), (unsigned char)code};
        send_frame(fd, 'T', (const char *)c, 4);
        break;
      }
      case 'X': return want >= 4 ? (int)(((uint32_t)(unsigned char)payload[0] << 24) | ((uint32_t)(unsigned char)payload[1] << 16) | ((uint32_t)(unsigned char)payload[2] << 8) | (unsigned char)payload[3]) : 1;
    }
  }
}
