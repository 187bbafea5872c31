import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Form } from "../src/schema.js";
import { MOF_PROJECT } from "../src/templates/mof-project.js";
import type { FormTemplate } from "../src/templates/template.js";
import { type FormOf, formSchemaOf, type ParsedTarget } from "../src/templates/zod.js";

/**
 * A template's `form` type nests a field with a dotted output path (`funds.total`) the way its zod
 * schema does at run time; `npx tsc --noEmit` checks the type-level lines (vitest only runs them).
 */

type Mof = FormOf<typeof MOF_PROJECT>;

describe("FormOf: the form's static type from the template's output paths", () => {
  it("nests the dotted paths, fields sharing a step in one object", () => {
    expectTypeOf<Mof["funds"]>().toEqualTypeOf<{
      total: number | null;
      fiscal: number | null;
      other: number | null;
    }>();
    expectTypeOf<Mof["projectAttribute"]>().toEqualTypeOf<string[]>();
    expectTypeOf<Mof["departmentCode"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Mof["indicators"][number]>().toEqualTypeOf<
      { level1: string | null; level2: string | null; name: string; target: string } & {
        parsed: ParsedTarget | null;
      }
    >();
    expectTypeOf<keyof Mof>().toEqualTypeOf<
      | "year"
      | "projectName"
      | "department"
      | "departmentCode"
      | "implementingUnit"
      | "projectAttribute"
      | "projectPeriod"
      | "funds"
      | "annualGoal"
      | "indicators"
      | "remarks"
    >();
  });

  it("keeps no key for a field that has a path, and no dotted key", () => {
    const funds: Mof["funds"] = { total: 1, fiscal: 1, other: null };
    // @ts-expect-error the key of a field with a path is not in the form
    const total: Mof["fundsTotal"] = 1;
    // @ts-expect-error nor is its dotted path as one key
    const dotted: Mof["funds.total"] = 1;
    // @ts-expect-error a money value is a number, not a string
    const text: Mof["funds"]["total"] = "1";
    // @ts-expect-error the nested object is complete: no part may be left out
    const part: Mof["funds"] = { total: 1, fiscal: 1 };
    expect([funds, total, dotted, text, part]).toHaveLength(5);
  });

  it("a template without paths is keyed by field; a path nests at any depth", () => {
    expectTypeOf<Form["currentYearBudget"]>().toEqualTypeOf<number | null>();
    expectTypeOf<Form["projectType"]>().toEqualTypeOf<string[]>();
    const inline = {
      fields: [
        {
          key: "a",
          kind: { kind: "money", unit: "元" },
          printed: [],
          review: "a",
          required: true,
          path: "x.y.a",
        },
        { key: "b", kind: { kind: "date" }, printed: [], review: "b", required: true, path: "x.b" },
        { key: "c", kind: { kind: "year" }, printed: [], review: "c", required: true },
      ],
    } as const;
    type Inline = FormOf<typeof inline & Omit<FormTemplate, "fields">>;
    expectTypeOf<Inline>().toEqualTypeOf<{
      x: { y: { a: number | null }; b: string | null };
      c: number | null;
    }>();
  });

  it("formSchemaOf's parse result is that type", () => {
    expectTypeOf(formSchemaOf(MOF_PROJECT).parse).returns.toEqualTypeOf<Mof>();
  });
});

describe("the mof golden outputs satisfy the template's schema", () => {
  const dir = join(import.meta.dirname, "../fixtures/expected/mof");
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

  it("has golden files", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    it(file, () => {
      const forms = JSON.parse(readFileSync(join(dir, file), "utf8")) as Array<{ form: unknown }>;
      for (const { form } of forms) {
        const parsed: Mof = formSchemaOf(MOF_PROJECT).parse(form);
        expect(parsed.funds.total).toBeTypeOf("number");
        expect(parsed).toEqual(form);
      }
    });
  }

  it("rejects a form whose funds are flat keys, not nested", () => {
    const form = JSON.parse(readFileSync(join(dir, files[0]!), "utf8"))[0].form as Record<string, unknown>;
    const { funds, ...rest } = form as { funds: Mof["funds"] };
    const flat = { ...rest, fundsTotal: funds.total, fundsFiscal: funds.fiscal, fundsOther: funds.other };
    expect(formSchemaOf(MOF_PROJECT).safeParse(flat).success).toBe(false);
  });
});
