/** `appstreamctl apply` — arrives with issue #5; until then it says so plainly and exits 1. */
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

export const applyCommand: Handler = async () => {
  throw new AppError("cli.unavailable", "`apply` is not available in this build yet (issue #5)");
};
