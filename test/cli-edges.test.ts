import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageTreeCycle, rawPdf } from "./helpers/bad-inputs.js";
import { ROOT, runCli } from "./helpers/cli.js";

/** Issue 11, defect 6, at the command line: broken images and page trees, a closed pipe. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "formex-cli-edges-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An object nested past pdf.js's stack: its parser overflows. */
const absurdNesting = () =>
  rawPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Junk ${"[".repeat(50_000)}${"]".repeat(50_000)} >>`,
  ]);

describe("broken input at the command line", () => {
  it("a page-tree cycle or absurd nesting is DAMAGED_PDF; empty and cut-off images are DAMAGED_IMAGE, not a crash", async () => {
    writeFileSync(join(dir, "cycle.pdf"), pageTreeCycle());
    writeFileSync(join(dir, "nested.pdf"), absurdNesting());
    writeFileSync(join(dir, "empty.png"), Buffer.alloc(0));
    const canvas = createCanvas(400, 300);
    canvas.getContext("2d").fillRect(20, 20, 100, 100);
    const png = canvas.toBuffer("image/png");
    const jpeg = canvas.toBuffer("image/jpeg");
    writeFileSync(join(dir, "header-only.png"), png.subarray(0, 33));
    writeFileSync(join(dir, "cut.jpg"), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    writeFileSync(join(dir, "text.png"), "not an image at all\n");
    const { code, stderr } = await runCli(["extract", dir, "--no-store", "--no-progress", "--jsonl"]);
    expect(code, stderr).toBe(1);
    const failed = (name: string) =>
      stderr.split("\n").find((l) => l.startsWith("formex: FAILED") && l.includes(name));
    expect(failed("cycle.pdf")).toMatch(
      /\[DAMAGED_PDF\] damaged PDF: Pages tree contains circular reference/,
    );
    expect(failed("nested.pdf")).toMatch(/\[DAMAGED_PDF\]/);
    expect(failed("empty.png")).toMatch(/\[DAMAGED_IMAGE\] empty file \(0 bytes\): not a readable PNG image/);
    expect(failed("header-only.png")).toMatch(/\[DAMAGED_IMAGE\] a truncated PNG/);
    expect(failed("cut.jpg")).toMatch(/\[DAMAGED_IMAGE\] a truncated JPEG/);
    expect(failed("text.png")).toMatch(/\[UNSUPPORTED_INPUT\] not a PNG image/);
    expect(stderr).not.toMatch(/INTERNAL|NOT_A_FORM/);
  });

  it("`formex status | head` exits quietly when the reader has gone (EPIPE)", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/bin.ts"), "status", "--data", join(dir, "data")],
      { cwd: ROOT, env: { ...process.env, FORMEX_LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout.destroy(); // the reader (head) exits before anything is written
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise((r) => child.once("close", r));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });
});
