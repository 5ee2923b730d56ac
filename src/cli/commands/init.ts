/** `appstreamctl init` — arrives with the kinds (issue #2). */
import { AppError } from "../../core/errors.js";
import type { Handler } from "../program.js";

export const initCommand: Handler = async () => {
  throw new AppError("cli.unavailable", "`init` is not available in this build yet (issue #2)");
};
