import { layoutMofForm } from "../../scripts/fixtures/mof.js";
import { MOF_FIXTURES } from "../../scripts/fixtures/mof-specs.js";
import { createWriter } from "../../scripts/fixtures/pdf-writer.js";

/**
 * A one-page text-layer PDF of a 项目支出绩效目标申报表 (the mof-project family, shared spec
 * `form-mof-project.md`), drawn as the fixture script draws fixtures/mof/m1-brackets.pdf.
 */
export async function mofProjectPdf(): Promise<Uint8Array> {
  const writer = await createWriter("embedded", "mof-project form");
  const form = MOF_FIXTURES[0]!.forms[0]!.form;
  return writer.write(layoutMofForm(form, writer.measure));
}
