// Heading ids, so a lesson can link to its own sections (#step-…) and the page
// can build a table of contents. Uses markdown-it-anchor with the same slug
// rule as step ids.

import type MarkdownIt from "markdown-it";
import anchor from "markdown-it-anchor";
import { slug } from "../steps.ts";

export function anchorsPlugin(md: MarkdownIt): void {
  md.use(anchor, { slugify: (s: string) => slug(s) || "section", tabIndex: false, level: [2, 3, 4] });
}
