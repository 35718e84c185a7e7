#!/usr/bin/env node
// The `kubelab` command: registers tsx so the TypeScript sources run as they
// are (no build step), then hands over to server/cli.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli.ts");
process.exitCode = await main(process.argv.slice(2));
