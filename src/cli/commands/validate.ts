/** `appstreamctl validate` — arrives with issue #2; until then it says so plainly and exits 1. */
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

export const validateCommand: Handler = async () => {
  throw new AppError("cli.unavailable", "`validate` is not available in this build yet (issue #2)");
};
