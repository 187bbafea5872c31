import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readFile } from "./helpers/extract.js";

/** One document pipeline: the tests, the CLI, the service and the queue read through src/run/document.ts. */

const ROOT = join(import.meta.dirname, "..");
const BUNDLE = join(ROOT, "fixtures/pdf/bundle-4forms.pdf");
const dir = mkdtempSync(join(tmpdir(), "formex-pipeline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOURCES = readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts"))
  .map((e) => ({
    path: relative(ROOT, join(e.parentPath, e.name)),
    text: readFileSync(join(e.parentPath, e.name), "utf8"),
  }));
const callers = (pattern: RegExp) => SOURCES.filter((s) => pattern.test(s.text)).map((s) => s.path);

describe("one document pipeline", () => {
  it("a PDF without %%EOF is DAMAGED_PDF in the path the golden tests take, as in every runner", async () => {
    const bytes = readFileSync(BUNDLE);
    const tail = bytes.lastIndexOf("%%EOF");
    const path = join(dir, "no-eof.pdf");
    writeFileSync(path, bytes.subarray(0, tail));
    const result = await readFile(path);
    expect(result.errors.map((e) => e.code)).toEqual(["DAMAGED_PDF"]);
    expect(result.forms).toHaveLength(4);
    expect(result.status).toBe("done");
  });

  it("a file with no form is a failed outcome naming why, not a throw", async () => {
    const path = join(dir, "notes.txt");
    writeFileSync(path, "nothing here but a note\n");
    const result = await readFile(path);
    expect(result.errors.map((e) => e.code)).toEqual(["NOT_A_FORM"]);
    expect(result.status).toBe("failed");
  });

  it("forms are assembled, and outcomes stored, in one module only", () => {
    expect(callers(/new FormAssembler\(/)).toEqual(["src/run/document.ts"]);
    expect(callers(/\bsaveForms\(/).filter((p) => p !== "src/store/repo.ts")).toEqual([
      "src/run/document.ts",
    ]);
    expect(callers(/forms\.length > 0 \? "done"/)).toEqual([]);
    expect(callers(/\b(inspectFile|readPagesInOrder)\(/).sort()).toEqual(
      ["src/run/document.ts", "src/run/stages.ts", "src/service/documents.ts"].sort(),
    );
  });
});
