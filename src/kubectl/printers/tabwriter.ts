// Go's text/tabwriter, as forked by github.com/liggitt/tabwriter (the copy
// kubectl vendors, which adds RememberWidths): elastic tabstops where cells
// are terminated by '\t' (or '\v'), the last cell of a line is not part of a
// column, and a line with fewer cells ends a column block. Widths count runes
// (code points). Leaves out the Escape (0xff) sequences, which cannot occur
// in JS strings holding valid UTF-8 text.

export const FilterHTML = 1 << 0;
export const StripEscape = 1 << 1;
export const AlignRight = 1 << 2;
export const DiscardEmptyColumns = 1 << 3;
export const TabIndent = 1 << 4;
export const Debug = 1 << 5;
export const RememberWidths = 1 << 6;

interface Cell {
  /** Cell text (Go keeps byte offsets into one buffer; a string per cell is simpler). */
  text: string;
  /** Width in runes, HTML tags excluded under FilterHTML. */
  width: number;
  /** Terminated by a hard tab. */
  htab: boolean;
}

export interface TabWriterOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  padchar: string;
  flags: number;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class TabWriter {
  private readonly minwidth: number;
  private readonly tabwidth: number;
  private readonly padding: number;
  private readonly padchar: string;
  private readonly flags: number;
  private readonly output: (s: string) => void;

  private lines: Cell[][] = [[]];
  private cell: Cell = { text: "", width: 0, htab: false };
  /** Text of the current cell whose width is already counted. */
  private counted = 0;
  /** Inside an HTML tag ('>') or entity (';'); "" outside. */
  private endChar = "";
  private widths: number[] = [];
  private maxwidths: number[] = [];
  private out = "";

  constructor(output: (s: string) => void, options: TabWriterOptions) {
    const { minwidth, tabwidth, padding } = options;
    if (minwidth < 0 || tabwidth < 0 || padding < 0) throw new Error("negative minwidth, tabwidth, or padding");
    this.output = output;
    this.minwidth = minwidth;
    this.tabwidth = tabwidth;
    this.padding = padding;
    this.padchar = options.padchar;
    // Tab padding enforces left alignment.
    this.flags = options.padchar === "\t" ? options.flags & ~AlignRight : options.flags;
  }

  rememberedWidths(): number[] {
    return [...this.maxwidths];
  }

  setRememberedWidths(widths: number[]): this {
    this.maxwidths = [...widths];
    return this;
  }

  write(text: string): void {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.endChar === "") {
        if (ch === "\t" || ch === "\v" || ch === "\n" || ch === "\f") {
          this.append(text.slice(n, i));
          this.updateWidth();
          n = i + 1;
          const ncells = this.terminateCell(ch === "\t");
          if (ch === "\n" || ch === "\f") {
            this.lines.push([]);
            // A line of one cell cannot affect the formatting of later lines
            // (the last cell of a line is not in a column), so Go flushes here:
            // this is why a line without tabs ends a column block.
            if (ch === "\f" || ncells === 1) {
              this.flushInternal();
              if (ch === "\f" && this.flags & Debug) this.out += "---\n";
            }
          }
        } else if ((ch === "<" || ch === "&") && this.flags & FilterHTML) {
          this.append(text.slice(n, i));
          this.updateWidth();
          n = i;
          this.endChar = ch === "<" ? ">" : ";";
        }
      } else if (ch === this.endChar) {
        this.append(text.slice(n, i + 1));
        n = i + 1;
        this.endEscape();
      }
    }
    this.append(text.slice(n));
    this.emit();
  }

  /** Formats and writes out everything buffered; call after the last write. */
  flush(): void {
    this.flushInternal();
    this.emit();
  }

  private emit(): void {
    if (this.out) {
      const s = this.out;
      this.out = "";
      this.output(s);
    }
  }

  private append(s: string): void {
    this.cell.text += s;
  }

  private updateWidth(): void {
    this.cell.width += runeCount(this.cell.text.slice(this.counted));
    this.counted = this.cell.text.length;
  }

  private endEscape(): void {
    // A tag has zero width; an entity counts as one rune.
    if (this.endChar === ";") this.cell.width++;
    this.counted = this.cell.text.length;
    this.endChar = "";
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1]!;
    line.push(this.cell);
    this.cell = { text: "", width: 0, htab: false };
    this.counted = 0;
    return line.length;
  }

  private flushInternal(): void {
    if (this.cell.text.length > 0) {
      if (this.endChar !== "") this.endEscape();
      this.terminateCell(false);
    }
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.cell = { text: "", width: 0, htab: false };
    this.counted = 0;
    this.endChar = "";
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padchar === "\t" || useTabs) {
      if (this.tabwidth === 0) return;
      cellw = Math.ceil(cellw / this.tabwidth) * this.tabwidth;
      const n = cellw - textw;
      if (n < 0) throw new Error("internal error");
      this.out += "\t".repeat(Math.ceil(n / this.tabwidth));
      return;
    }
    this.out += this.padchar.repeat(Math.max(0, cellw - textw));
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      let useTabs = (this.flags & TabIndent) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.flags & Debug) this.out += "|";
        if (c.text.length === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, useTabs);
        } else {
          useTabs = false;
          if ((this.flags & AlignRight) === 0) {
            this.out += c.text;
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, false);
          } else {
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, false);
            this.out += c.text;
          }
        }
      });
      if (i + 1 === this.lines.length) {
        // The last buffered line has no newline yet: write any outstanding text.
        this.out += this.cell.text;
      } else {
        this.out += "\n";
      }
    }
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= this.lines[current]!.length - 1) continue;
      // This line has a cell in this column: a column block begins here.
      this.writeLines(line0, current);
      line0 = current;
      let width = this.minwidth;
      let discardable = true;
      for (; current < line1; current++) {
        const line = this.lines[current]!;
        if (column >= line.length - 1) break;
        const c = line[column]!;
        width = Math.max(width, c.width + this.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.flags & DiscardEmptyColumns) width = 0;
      if (this.flags & RememberWidths) {
        if (this.maxwidths.length < this.widths.length) this.maxwidths.push(...this.widths.slice(this.maxwidths.length));
        const k = this.widths.length;
        if (this.maxwidths.length === k) this.maxwidths.push(width);
        else if (this.maxwidths[k]! > width) width = this.maxwidths[k]!;
        else if (this.maxwidths[k]! < width) this.maxwidths[k] = width;
      }
      this.widths.push(width);
      this.format(line0, current);
      this.widths.pop();
      line0 = current;
    }
    this.writeLines(line0, line1);
  }
}

/** The writer `kubectl get` prints tables with (cli-runtime printers.GetNewTabWriter). */
export function newGetTabWriter(output: (s: string) => void): TabWriter {
  return new TabWriter(output, { minwidth: 6, tabwidth: 4, padding: 3, padchar: " ", flags: RememberWidths });
}

/** The writer `kubectl describe` uses (describe.NewPrefixWriter over tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)). */
export function newDescribeTabWriter(output: (s: string) => void): TabWriter {
  return new TabWriter(output, { minwidth: 0, tabwidth: 8, padding: 2, padchar: " ", flags: 0 });
}
