// Development and tests only: lets a worker thread run a TypeScript entry through tsx.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
