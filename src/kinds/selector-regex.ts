/** How an image selector's `nameRegex` is compiled: one place, for validation (common-rules) and plan (core/selectors). */

/** The flags every selector regex is compiled with; validation compiles with the same ones. */
export const SELECTOR_FLAGS = "u";

/** The selector's regex as plan compiles it; throws SyntaxError exactly where validation reports one. */
export function selectorRegex(source: string): RegExp {
  return new RegExp(source, SELECTOR_FLAGS);
}
