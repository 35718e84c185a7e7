// Name, label and field-error helpers, after k8s.io/apimachinery/pkg/util/validation
// (IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label, IsQualifiedName,
// IsValidLabelValue) and util/validation/field (error bodies as
// field.Error.ErrorBody prints them, Go %#v values included).
// Leaves out: IP/CIDR validators beyond what the service registry needs.

import type { FieldError } from "./errors.ts";

/** validation.RegexError: the message, examples and the regex. Two spaces before "or" come from upstream. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) s += " or ";
    s += `'${e}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL_RE.test(value)) errs.push(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"));
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"));
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, "my-name", "abc-123"));
  return errs;
}

/** path.ValidatePathSegmentName: RBAC object names may hold colons, not slashes or percents. */
export function isPathSegmentName(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  for (const illegal of ["/", "%"]) if (value.includes(illegal)) return [`may not contain '${illegal}'`];
  return [];
}

const QUALIFIED_NAME_CHAR_FMT = "[A-Za-z0-9]";
const QUALIFIED_NAME_EXT_CHAR_FMT = "[-A-Za-z0-9_.]";
const QUALIFIED_NAME_FMT = `(${QUALIFIED_NAME_CHAR_FMT}${QUALIFIED_NAME_EXT_CHAR_FMT}*)?${QUALIFIED_NAME_CHAR_FMT}`;
const QUALIFIED_NAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

/** IsQualifiedName: label and annotation keys, `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")}`);
  return errs;
}

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
  return errs;
}

/** A Go value as `%#v` prints it, for the value part of "Invalid value: …". */
export type GoValue =
  | { go: "string"; v: string }
  | { go: "int"; v: number }
  | { go: "bool"; v: boolean }
  | { go: "raw"; v: string };

export const goString = (v: string): GoValue => ({ go: "string", v });
export const goInt = (v: number): GoValue => ({ go: "int", v });
/** A value already spelled as Go prints it (maps, slices, structs). */
export const goRaw = (v: string): GoValue => ({ go: "raw", v });

function formatGoValue(v: GoValue): string {
  switch (v.go) {
    case "string":
      return JSON.stringify(v.v);
    case "int":
    case "bool":
      return String(v.v);
    case "raw":
      return v.v;
  }
}

/** `map[string]string{"a":"b", "c":"d"}` (keys sorted), or `map[string]string(nil)`. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (!m) return "map[string]string(nil)";
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(", ")}}`;
}

/** `[]string{"a", "b"}`, or `[]string(nil)`. */
export function goStringSlice(s: string[] | undefined): string {
  if (!s) return "[]string(nil)";
  return `[]string{${s.map((x) => JSON.stringify(x)).join(", ")}}`;
}

export function required(field: string, detail = ""): FieldError {
  return { type: "FieldValueRequired", field, message: detail ? `Required value: ${detail}` : "Required value" };
}

export function invalidValue(field: string, value: GoValue, detail: string): FieldError {
  return { type: "FieldValueInvalid", field, message: `Invalid value: ${formatGoValue(value)}${detail ? `: ${detail}` : ""}` };
}

export function notSupported(field: string, value: GoValue, supported: string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(", ");
  return { type: "FieldValueNotSupported", field, message: `Unsupported value: ${formatGoValue(value)}${supported.length ? `: supported values: ${list}` : ""}` };
}

export function duplicate(field: string, value: GoValue): FieldError {
  return { type: "FieldValueDuplicate", field, message: `Duplicate value: ${formatGoValue(value)}` };
}

export function forbiddenField(field: string, detail: string): FieldError {
  return { type: "FieldValueForbidden", field, message: detail ? `Forbidden: ${detail}` : "Forbidden" };
}

export function tooLong(field: string, max: number): FieldError {
  return { type: "FieldValueTooLong", field, message: `Too long: may not be more than ${max} bytes` };
}

/** ValidateLabels: every key a qualified name, every value a label value. */
export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalidValue(field, goString(k), m));
    for (const m of isValidLabelValue(v)) errs.push(invalidValue(field, goString(v), m));
  }
  return errs;
}

/** ValidateAnnotations' key check (the total size limit is left out). */
export function validateAnnotationKeys(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(field, goString(k), m));
  }
  return errs;
}

/** ValidateNonnegativeField */
export function validateNonnegative(value: number | undefined, field: string): FieldError[] {
  if (value === undefined || value === null || value >= 0) return [];
  return [invalidValue(field, goInt(value), "must be greater than or equal to 0")];
}

export function notFoundField(field: string, value: GoValue): FieldError {
  return { type: "FieldValueNotFound", field, message: `Not found: ${formatGoValue(value)}` };
}
