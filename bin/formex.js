#!/usr/bin/env node
// The formex command: runs the compiled CLI (npm ci builds it through the prepare script).
import { existsSync } from "node:fs";

const cli = new URL("../dist/src/cli.js", import.meta.url);
// (src/bin.ts runs the same CLI from source under tsx.)
if (!existsSync(cli)) {
  process.stderr.write("formex: not built yet; run `npm ci` or `npm run build` first\n");
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
// Every command closes what it opened; should a library leave a handle behind, do not hang.
setTimeout(() => process.exit(), 5000).unref();
