/** Turns any thrown value into the one-line-per-problem text shown on stderr. */
import kleur from "kleur";
import { AppError } from "../../core/errors.js";

export function renderError(err: unknown): string {
  if (err instanceof AppError) {
    const where = err.loc ? `${err.loc.file}:${err.loc.line}:${err.loc.col}: ` : "";
    return `${where}${kleur.red("error")} ${kleur.dim(`[${err.code}]`)} ${err.message}\n`;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `${kleur.red("internal error")} ${kleur.dim("[internal]")} ${message}\n`;
}
