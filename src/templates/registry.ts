import { MOF_PROJECT } from "./mof-project.js";
import { SH_PERF_2018 } from "./sh-perf-2018.js";
import type { FormTemplate } from "./template.js";

/** The form families formex reads; a form whose title names none of them is not a form it knows. */
export const TEMPLATES: readonly FormTemplate[] = [SH_PERF_2018, MOF_PROJECT];

/** The template a stored extraction was read as (rows stored before `template` existed are 2018 forms). */
export function templateById(id: string | undefined, templates = TEMPLATES): FormTemplate {
  const t = templates.find((x) => x.id === (id ?? SH_PERF_2018.id));
  if (!t) throw new Error(`unknown template ${id}`);
  return t;
}
