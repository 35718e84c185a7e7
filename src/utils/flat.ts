// Flat strings for what is kept long. V8 represents a concatenation (a
// template literal, `a + b`) as a tree of cons-string nodes — 32 bytes each,
// plus the pieces — until something reads it as a whole; a Map key or an
// array element never does. A journal line or a stored name built from five
// pieces then costs several times its length, and at 100,000 pods that is
// hundreds of MB. Reading one character makes V8 flatten the string in place
// (the GC then drops the tree), which is all this does.

/** s, made flat in place; returns s for chaining. */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
