import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES, ERRORS, FLAGS, RESPONSES } from "../src/codes.js";
import * as errors from "../src/errors.js";

/** One registry of codes (src/codes.ts), held to docs/codes.md both ways. */

const ROOT = join(import.meta.dirname, "..");
const DOC = readFileSync(join(ROOT, "docs/codes.md"), "utf8");
const SOURCES = readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts"))
  .map((e) => ({
    path: relative(ROOT, join(e.parentPath, e.name)),
    text: readFileSync(join(e.parentPath, e.name), "utf8"),
  }));

/** The documented row of a code, as its cells after the code itself. */
function row(code: string): string[] | null {
  const line = DOC.split("\n").find((l) => l.startsWith(`| \`${code}\` |`));
  return line
    ? line
        .split("|")
        .slice(2, -1)
        .map((c) => c.trim())
    : null;
}

/** Error classes, each with its code, from src/errors.ts (InputError carries any code). */
const CLASSES = (Object.values(errors) as unknown[])
  .filter(
    (v): v is new (m: string) => errors.FormexError =>
      typeof v === "function" &&
      v !== errors.InputError &&
      (v as { prototype: unknown }).prototype instanceof errors.FormexError,
  )
  .map((Cls) => ({ Cls, e: new Cls("x") }));

/** Used: its string is written in src/ outside the registry, or its error class is used outside errors.ts. */
function usedInSrc(code: string): boolean {
  const literal = SOURCES.some(
    (s) => s.path !== "src/codes.ts" && s.path !== "src/errors.ts" && s.text.includes(`"${code}"`),
  );
  const cls = CLASSES.find((c) => c.e.code === code)?.Cls.name;
  const classUsed =
    cls !== undefined &&
    SOURCES.some((s) => s.path !== "src/errors.ts" && new RegExp(`\\b${cls}\\b`).test(s.text));
  return literal || classUsed;
}

describe("one registry of codes, documented both ways", () => {
  it.each(Object.entries(FLAGS))("flag %s is documented with its severity", (code, def) => {
    expect(row(code)?.[0]).toBe(def.severity);
  });
  it.each(Object.entries(ERRORS))(
    "error %s is documented with its kind, retry policy and status",
    (code, def) => {
      const cells = row(code);
      expect(cells?.[0]).toBe(def.class);
      expect(cells?.[3]).toBe(def.retry ? "yes" : "no");
      expect(cells?.[4]).toBe(String(def.status));
    },
  );
  it.each(Object.entries(RESPONSES))("API response %s is documented with its status", (code, def) => {
    expect(row(code)?.[0]).toBe(String(def.status));
  });

  it("every documented code is in the registry and used in src/", () => {
    const documented = [...DOC.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);
    expect(documented.length).toBe(Object.keys(CODES).length);
    for (const code of documented) {
      expect(Object.keys(CODES), code).toContain(code);
      expect(usedInSrc(code), `${code} is documented but nothing in src/ raises it`).toBe(true);
    }
  });

  it("every error class has a stable code and name, is documented and is used (no dead classes)", () => {
    expect(CLASSES.length).toBeGreaterThanOrEqual(9);
    for (const { Cls, e } of CLASSES) {
      expect(Object.keys(ERRORS)).toContain(e.code);
      expect(e.name).toBe(Cls.name);
      expect(row(e.code)?.[1]).toBe(`\`${e.name}\``);
      const users = SOURCES.filter(
        (s) => s.path !== "src/errors.ts" && new RegExp(`\\b${Cls.name}\\b`).test(s.text),
      );
      expect(users.length, `${Cls.name} is never used`).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(CODES))(
    "%s has a Chinese explanation, the last cell of its documented row",
    (code, def) => {
      expect(def.zh).toMatch(/\p{Script=Han}/u);
      expect(row(code)?.at(-1)).toBe(def.zh);
    },
  );

  it("the retry policy and the record come from the registry", () => {
    expect(errors.isRetryable("DATABASE_UNAVAILABLE")).toBe(true);
    expect(errors.isRetryable("NOT_A_PDF")).toBe(false);
    const e = new errors.InputError({ code: "DAMAGED_IMAGE", message: "cut off", page: null });
    expect(e.retryable).toBe(false);
    expect(e.record()).toEqual({ code: "DAMAGED_IMAGE", message: "cut off", page: null });
  });
});
