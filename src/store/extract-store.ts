import { stat } from "node:fs/promises";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { ReviewPolicy } from "../flags.js";
import type { FileSummary } from "../run/batch.js";
import { storeOutcome } from "../run/document.js";
import type { Extraction } from "../schema.js";
import { openDb } from "./db.js";
import { putFile } from "./files.js";
import { migrate } from "./migrations.js";
import { registerDocument } from "./repo.js";
import { applyReviewPolicy } from "./review-policy.js";

/**
 * `formex extract`'s storage: each file read is stored with its forms as soon as it is done,
 * judged for review by the run's policy.
 */
export async function openStore(config: Config, log: Logger, policy: ReviewPolicy) {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.schema,
    onConnectionError: (err) => log.warn({ err: err.message }, "database connection lost"),
  });
  await migrate(db);
  await applyReviewPolicy(db, policy);
  return {
    async save(summary: FileSummary, forms: Extraction[]): Promise<void> {
      if (!summary.sha256) return; // unreadable before hashing: nothing to key a document on
      await putFile(db, config.dataDir, summary.sha256, summary.path);
      const { size } = await stat(summary.path);
      const { document } = await registerDocument(db, {
        sha256: summary.sha256,
        name: summary.name,
        size,
        pages: summary.pages,
        via: "extract",
      });
      await storeOutcome(db, document, forms, summary, policy);
      log.debug({ file: summary.path, document: document.id, forms: forms.length }, "stored");
    },
    close: () => db.close(),
  };
}
