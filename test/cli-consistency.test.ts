import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli.js";
import { COMMAND_HELP } from "../src/cli-help.js";
import { ExtractionSchema } from "../src/schema.js";
import { ROOT, runCli, runCliEnv } from "./helpers/cli.js";

/** Issue 10, item 8: `extract --out` never overwrites, every command answers --help, `results` ids and key order. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "formex-cli-consistency-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMMANDS = ["extract", "results", "ingest", "worker", "status", "serve", "export"];

/** Every `.json` under `root`, relative, sorted. */
const listed = (root: string) =>
  readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"))
    .sort();

/** `main` as bin.ts runs it, its stdout and stderr captured. */
async function inProcess(argv: string[]) {
  const written = { stdout: "", stderr: "" };
  const spy = (stream: "stdout" | "stderr") =>
    vi.spyOn(process[stream], "write").mockImplementation((chunk: string | Uint8Array) => {
      written[stream] += chunk.toString();
      return true;
    });
  const spies = [spy("stdout"), spy("stderr")];
  try {
    return { code: await main(argv), ...written };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

describe("extract --out never writes two forms to one file", () => {
  it("two form.pdf in different folders give two files, each form naming its path under the argument", async () => {
    const input = join(dir, "in");
    for (const [sub, from] of [
      ["a", "fixtures/mof/m1-brackets.pdf"],
      ["b", "fixtures/mof/m3-alone-flags.pdf"],
    ] as const) {
      mkdirSync(join(input, sub), { recursive: true });
      copyFileSync(join(ROOT, from), join(input, sub, "form.pdf"));
    }
    const out = join(dir, "out-folder");
    const r = await runCli(["extract", input, "--out", out, "--no-store", "--no-progress"]);
    expect(r.code, r.stderr).toBe(0);
    expect(listed(out)).toEqual([join("a", "form.form-1.json"), join("b", "form.form-1.json")]);
    const read = (f: string) => ExtractionSchema.parse(JSON.parse(readFileSync(join(out, f), "utf8")));
    const a = read(join("a", "form.form-1.json"));
    const b = read(join("b", "form.form-1.json"));
    expect([a.source.file, b.source.file]).toEqual(["a/form.pdf", "b/form.pdf"]);
    expect(a.source.sha256).not.toBe(b.source.sha256);
    expect([a.form.projectName, b.form.projectName]).toEqual(["教师专业发展培训", "公共文化服务进基层"]);
  });

  it("the same name from two arguments (and a.pdf beside a.txt) is told apart in input order", async () => {
    const input = join(dir, "in");
    copyFileSync(join(ROOT, "fixtures/seed/forms-2018.txt"), join(input, "a", "form.txt"));
    const out = join(dir, "out-files");
    const r = await runCli([
      "extract",
      join(input, "a", "form.pdf"),
      join(input, "b", "form.pdf"),
      join(input, "a", "form.txt"),
      "--out",
      out,
      "--no-store",
      "--no-progress",
    ]);
    expect(r.code, r.stderr).toBe(0);
    // The dump holds four forms; each file's forms keep their own stem.
    expect(listed(out)).toEqual([
      "form-2.form-1.json",
      "form-3.form-1.json",
      "form-3.form-2.json",
      "form-3.form-3.json",
      "form-3.form-4.json",
      "form.form-1.json",
    ]);
    const file = (f: string) => JSON.parse(readFileSync(join(out, f), "utf8")).source;
    expect(file("form.form-1.json").sha256).not.toBe(file("form-2.form-1.json").sha256);
    expect(file("form-3.form-4.json").file).toBe("form.txt");
  });
});

describe("every command answers --help", () => {
  it("`formex <command> --help`, `-h` and `formex help <command>`: its usage and options on stdout, exit 0, nothing opened", async () => {
    const data = join(dir, "never-created");
    const saved = process.env.FORMEX_DATA;
    process.env.FORMEX_DATA = data;
    try {
      for (const c of COMMANDS) {
        for (const argv of [
          [c, "--help"],
          ["help", c],
          [c, "-h"],
          [c, "--data", data, "--help"],
        ]) {
          const r = await inProcess(argv);
          expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
          expect(r.stdout, argv.join(" ")).toBe(COMMAND_HELP[c]);
        }
        expect(COMMAND_HELP[c]!.startsWith(`Usage: formex ${c}`), c).toBe(true);
        expect(COMMAND_HELP[c], c).toContain("--help");
      }
    } finally {
      if (saved === undefined) delete process.env.FORMEX_DATA;
      else process.env.FORMEX_DATA = saved;
    }
    expect(existsSync(data)).toBe(false);
  });

  it("through bin.ts too: exit 0 and the help on stdout", async () => {
    const r = await runCli(["serve", "--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(COMMAND_HELP.serve);
  });

  it("the overview lists every command with its own help; an unknown command's help is a usage error", async () => {
    const overview = await inProcess(["--help"]);
    expect(overview.code).toBe(0);
    for (const c of COMMANDS) expect(overview.stdout).toContain(`formex ${c} `);
    // extract's options read the same in the overview and in its own help.
    const options = COMMAND_HELP.extract!.split("Options:\n")[1]!.split("  --help, -h")[0]!;
    expect(overview.stdout).toContain(options.trimEnd());
    const unknown = await inProcess(["help", "nosuch"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nosuch"');
  });
});

describe("results prints form ids and the contract's key order", () => {
  it("each stored form leads with its id and document id; keys as extract prints them; the same bytes twice", async () => {
    const data = join(dir, "data");
    const env = { FORMEX_DATA: data };
    const printed = await runCliEnv(
      [
        "extract",
        join(ROOT, "fixtures/mof/m1-brackets.pdf"),
        join(ROOT, "fixtures/mof/m3-alone-flags.pdf"),
        "--jsonl",
        "--no-progress",
      ],
      env,
    );
    expect(printed.code, printed.stderr).toBe(0);
    const extracted = printed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    // Read back in this process (main, as bin.ts runs it): the store is the one extract wrote.
    const all = await inProcess(["results", "--jsonl", "--data", data]);
    const again = await inProcess(["results", "--jsonl", "--data", data]);
    expect(all.code, all.stderr).toBe(0);
    expect(again.stdout).toBe(all.stdout);
    const stored = all.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown> & { id: number; form: object; fields: object });
    expect(stored).toHaveLength(2);
    for (const [i, s] of stored.entries()) {
      expect(Object.keys(s)).toEqual([
        "id",
        "documentId",
        "schemaVersion",
        "template",
        "source",
        "form",
        "fields",
        "flags",
      ]);
      expect(Number.isInteger(s.id)).toBe(true);
      const want = extracted.find((e) => e.source!.sha256 === (s.source as { sha256: string }).sha256)!;
      expect(Object.keys(s.form), `form ${i}`).toEqual(Object.keys(want.form!));
      expect(Object.keys(s.source as object)).toEqual(Object.keys(want.source!));
      // fields: the form's own order, whatever order the database keeps.
      expect(Object.keys(s.fields).sort()).toEqual(Object.keys(want.fields!).sort());
      const formKeys = Object.keys(want.form!);
      const rank = (path: string) => {
        const [, key, index] = /^form\.(\w+)(?:\[(\d+)\])?/.exec(path) ?? [];
        return formKeys.indexOf(key ?? "") * 1000 + Number(index ?? 0);
      };
      const ranks = Object.keys(s.fields).map(rank);
      expect(ranks.every((r) => r >= 0)).toBe(true);
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
      const { id: _id, documentId: _doc, ...form } = s;
      expect(form).toEqual(want);
    }
    expect(new Set(stored.map((s) => s.id)).size).toBe(2);
    // --flagged: only m3 (its funds do not add up), under the same id.
    const flagged = await inProcess(["results", "--flagged", "--jsonl", "--data", data]);
    const ids = flagged.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: number; source: { file: string } });
    expect(ids.map((f) => f.source.file)).toEqual(["m3-alone-flags.pdf"]);
    expect(ids[0]!.id).toBe(
      stored.find((s) => (s.source as { file: string }).file === "m3-alone-flags.pdf")!.id,
    );
  });
});
