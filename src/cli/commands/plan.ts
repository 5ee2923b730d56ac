/** `appstreamctl plan` — arrives with issue #4; until then it says so plainly and exits 1. */
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

export const planCommand: Handler = async () => {
  throw new AppError("cli.unavailable", "`plan` is not available in this build yet (issue #4)");
};
