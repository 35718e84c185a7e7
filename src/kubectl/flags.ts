// Command-line flags with spf13/pflag semantics as cobra drives them for
// kubectl: flags may appear anywhere (interspersed), `--name=value`,
// `--name value`, `-n value`, `-nvalue`, `-n=value`, combined booleans
// (`-Aw`), `--` ends flags, and pflag's exact error texts. Leaves out
// normalisation of `_` to `-` and deprecated-flag warnings.

export type FlagType = "string" | "bool" | "int" | "stringArray" | "stringSlice" | "duration";

export interface FlagSpec {
  name: string;
  shorthand?: string;
  type: FlagType;
  /** pflag's NoOptDefVal: a value used when the flag is given without one (`-o` never has one). */
  noOptDefault?: string;
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  /** Values of the flags that were given, by long name. */
  values: Map<string, FlagValue>;
  args: string[];
  /** Arguments after `--`, also in args (cobra's ArgsLenAtDash). */
  argsLenAtDash: number;
}

export class FlagError extends Error {}

function flagLabel(spec: FlagSpec): string {
  return spec.shorthand ? `-${spec.shorthand}, --${spec.name}` : `--${spec.name}`;
}

function parseBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

function setValue(values: Map<string, FlagValue>, spec: FlagSpec, text: string): void {
  const invalid = (why: string) => new FlagError(`invalid argument "${text}" for "${flagLabel(spec)}" flag: ${why}`);
  switch (spec.type) {
    case "string":
      values.set(spec.name, text);
      return;
    case "bool": {
      const b = parseBool(text);
      if (b === undefined) throw invalid(`strconv.ParseBool: parsing "${text}": invalid syntax`);
      values.set(spec.name, b);
      return;
    }
    case "int": {
      if (!/^[-+]?\d+$/.test(text)) throw invalid(`strconv.ParseInt: parsing "${text}": invalid syntax`);
      values.set(spec.name, Number(text));
      return;
    }
    case "duration": {
      if (parseGoDuration(text) === undefined) throw invalid(`time: invalid duration "${text}"`);
      values.set(spec.name, text);
      return;
    }
    case "stringArray": {
      const prev = (values.get(spec.name) as string[] | undefined) ?? [];
      values.set(spec.name, [...prev, text]);
      return;
    }
    case "stringSlice": {
      const prev = (values.get(spec.name) as string[] | undefined) ?? [];
      values.set(spec.name, [...prev, ...(text === "" ? [] : text.split(","))]);
      return;
    }
  }
}

/** Go's time.ParseDuration, in milliseconds. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const m = /^([-+])?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const part of text.replace(/^[-+]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * unit[part[2]!]!;
  return m[1] === "-" ? -total : total;
}

/** Parses argv against the flags a command accepts (its own and the inherited global ones). */
export function parseFlags(argv: string[], specs: FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.shorthand).map((s) => [s.shorthand!, s]));
  const values = new Map<string, FlagValue>();
  const args: string[] = [];
  let argsLenAtDash = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      argsLenAtDash = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const body = a.slice(2);
      const eq = body.indexOf("=");
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) setValue(values, spec, body.slice(eq + 1));
      else if (spec.type === "bool") setValue(values, spec, "true");
      else if (spec.noOptDefault !== undefined) setValue(values, spec, spec.noOptDefault);
      else if (i + 1 < argv.length) setValue(values, spec, argv[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // A run of shorthands: booleans may be combined; the first one taking a
      // value consumes the rest of the word, or the next word.
      let rest = a.slice(1);
      while (rest.length > 0) {
        const c = String.fromCodePoint(rest.codePointAt(0)!);
        rest = rest.slice(c.length);
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (rest.startsWith("=")) {
          setValue(values, spec, rest.slice(1));
          rest = "";
        } else if (spec.type === "bool") setValue(values, spec, "true");
        else if (spec.noOptDefault !== undefined) setValue(values, spec, spec.noOptDefault);
        else if (rest.length > 0) {
          setValue(values, spec, rest);
          rest = "";
        } else if (i + 1 < argv.length) setValue(values, spec, argv[++i]!);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
      }
      continue;
    }
    args.push(a);
  }
  return { values, args, argsLenAtDash };
}

/** Typed access to parsed flag values with their defaults. */
export class Flags {
  constructor(private readonly parsed: ParsedFlags) {}

  get args(): string[] {
    return this.parsed.args;
  }

  /** How many arguments came before `--` (-1 without one), as cobra's ArgsLenAtDash. */
  get argsLenAtDash(): number {
    return this.parsed.argsLenAtDash;
  }

  changed(name: string): boolean {
    return this.parsed.values.has(name);
  }

  string(name: string, def = ""): string {
    const v = this.parsed.values.get(name);
    return typeof v === "string" ? v : def;
  }

  bool(name: string, def = false): boolean {
    const v = this.parsed.values.get(name);
    return typeof v === "boolean" ? v : def;
  }

  int(name: string, def = 0): number {
    const v = this.parsed.values.get(name);
    return typeof v === "number" ? v : def;
  }

  strings(name: string): string[] {
    const v = this.parsed.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}
