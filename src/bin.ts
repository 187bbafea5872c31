// Entry point for running the CLI from source (`node --import tsx src/bin.ts`).
import { main } from "./cli.js";

process.exitCode = await main(process.argv.slice(2));
