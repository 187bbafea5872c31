import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as errors from "../src/errors.js";
import { FLAG_CODES } from "../src/flags.js";

const DOC = readFileSync(join(import.meta.dirname, "../docs/codes.md"), "utf8");

describe("one registry of codes, each documented", () => {
  it.each(Object.entries(FLAG_CODES))("flag %s is documented with its severity", (code, def) => {
    expect(DOC).toMatch(new RegExp(`\\| \`${code}\` \\| ${def.severity} \\|`));
  });
  it.each(errors.ERROR_CODES)("error %s is documented", (code) => {
    expect(DOC).toContain(`| \`${code}\` |`);
  });
  it.each(errors.RESPONSE_CODES)("API response %s is documented", (code) => {
    expect(DOC).toContain(`| \`${code}\` |`);
  });
  it("every error class has a stable code and name listed in the registry", () => {
    const classes = (Object.values(errors) as unknown[]).filter(
      (v): v is new (m: string) => errors.FormexError =>
        typeof v === "function" && (v as { prototype: unknown }).prototype instanceof errors.FormexError,
    );
    expect(classes.length).toBeGreaterThanOrEqual(9);
    for (const Cls of classes) {
      const e = new Cls("x");
      expect(errors.ERROR_CODES).toContain(e.code);
      expect(e.name).toBe((Cls as { name: string }).name);
      expect(DOC).toContain(`\`${e.name}\``);
    }
  });
});
