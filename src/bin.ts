// Entry point for running the CLI from source (`node --import tsx src/bin.ts`).
import { main } from "./cli.js";

process.exitCode = await main(process.argv.slice(2));
// Every command closes what it opened; should a library leave a handle behind, do not hang.
setTimeout(() => process.exit(), 5000).unref();
