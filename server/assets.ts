// The browser code, bundled on first request with esbuild and kept in memory:
// no build step, no CDN (kubelab runs offline). xterm's stylesheet is served
// before ours so ours can override it.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const webDir = fileURLToPath(new URL("./web/", import.meta.url));
const require = createRequire(import.meta.url);

export interface Asset {
  type: string;
  body: string;
}

export class Assets {
  private js: Promise<Asset> | undefined;
  private css: Promise<Asset> | undefined;
  private html: Promise<Asset> | undefined;

  script(): Promise<Asset> {
    this.js ??= build({
      entryPoints: [join(webDir, "app.ts")],
      bundle: true,
      write: false,
      format: "esm",
      target: "es2022",
      minify: true,
      sourcemap: "inline",
      logLevel: "silent",
    }).then((r) => ({ type: "text/javascript; charset=utf-8", body: r.outputFiles[0]!.text }));
    // A failed build is retried on the next request rather than cached.
    this.js.catch(() => (this.js = undefined));
    return this.js;
  }

  style(): Promise<Asset> {
    this.css ??= Promise.all([readFile(require.resolve("@xterm/xterm/css/xterm.css"), "utf8"), readFile(join(webDir, "style.css"), "utf8")]).then(
      ([x, ours]) => ({ type: "text/css; charset=utf-8", body: `${x}\n${ours}` }),
    );
    return this.css;
  }

  page(): Promise<Asset> {
    this.html ??= readFile(join(webDir, "index.html"), "utf8").then((body) => ({ type: "text/html; charset=utf-8", body }));
    return this.html;
  }
}
