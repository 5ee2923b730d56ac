/**
 * The license-included applications an image builder can install (CreateImageBuilder SoftwaresToInstall and
 * AssociateSoftwareToImageBuilder SoftwareNames: the model lists them as "possible values include", so the
 * list may grow). A name outside it is a warning, not an error: a value AWS adds later must not block users.
 */
import { closest } from "../manifest/suggest.js";
import type { RuleViolation } from "./contract.js";

const PRODUCTS = [
  "Office_2021_LTSC_Professional_Plus", "Office_2024_LTSC_Professional_Plus", "Visio_2021_LTSC_Professional", "Visio_2024_LTSC_Professional",
  "Project_2021_Professional", "Project_2024_Professional", "Office_2021_LTSC_Standard", "Office_2024_LTSC_Standard",
  "Visio_2021_LTSC_Standard", "Visio_2024_LTSC_Standard", "Project_2021_Standard", "Project_2024_Standard",
];

export const LICENSED_SOFTWARE: readonly string[] = PRODUCTS.flatMap((p) => [`Microsoft_${p}_32Bit`, `Microsoft_${p}_64Bit`]);

/** A warning per name of `field` the API does not list, with the nearest listed name. */
export function licensedSoftwareRules(names: readonly string[] | undefined, field: string): RuleViolation[] {
  return (names ?? []).flatMap((name, i): RuleViolation[] => {
    if (LICENSED_SOFTWARE.includes(name)) return [];
    const near = closest(name, LICENSED_SOFTWARE);
    return [{
      code: "rule.licensed-software", severity: "warning", path: [field, i],
      message: `${JSON.stringify(name)} is not a license-included application this version knows; AppStream refuses names it does not offer`,
      hint: near ? `did you mean ${near}?` : `known names look like ${LICENSED_SOFTWARE[1]}`,
    }];
  });
}
