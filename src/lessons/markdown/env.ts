// What one render call carries through the markdown-it plugins: where the
// markdown starts in its file (so token lines become file lines) and where to
// put warnings. markdown-it-anchor also keeps its slug set here.

export interface RenderEnv {
  /** File line of the markdown's first line. */
  line?: number;
  warnings?: { line: number; message: string }[];
  [key: string]: unknown;
}
