/**
 * The one error type every emulator handler throws. The server turns it into an AWS JSON 1.1 error
 * response: body `{"__type": type, "message": message}`, header `x-amzn-ErrorType: type`, HTTP `status`
 * (reference §1, §14).
 */
export class ApiError extends Error {
  /**
   * @param type    the exception shape name, e.g. `ResourceNotFoundException`
   * @param message the human message, worded like the service where reference §14.1 records it
   * @param status  HTTP status; 400 for every client error except the ones the server remaps
   */
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    /** Members of the error body beyond `__type` and `message` (DynamoDB's `Item` of a failed condition). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = type;
  }
}

/** `ResourceNotFoundException`; the server decides its HTTP status (404 by default, reference §14). */
export function notFound(message: string): ApiError {
  return new ApiError("ResourceNotFoundException", message, 404);
}

/** `InvalidParameterCombinationException` (reference §14): cross-field rules the model cannot express. */
export function badCombination(message: string): ApiError {
  return new ApiError("InvalidParameterCombinationException", message);
}

/** `ResourceInUseException`: the resource's state forbids the operation. */
export function inUse(message: string): ApiError {
  return new ApiError("ResourceInUseException", message);
}

/** `ResourceAlreadyExistsException`: a Create* with a name already taken in the region. */
export function alreadyExists(message: string): ApiError {
  return new ApiError("ResourceAlreadyExistsException", message);
}

/** `InvalidAccountStatusException`, `LimitExceededException` and friends share this constructor. */
export function limitExceeded(message: string): ApiError {
  return new ApiError("LimitExceededException", message);
}

/** `OperationNotPermittedException`. */
export function notPermitted(message: string): ApiError {
  return new ApiError("OperationNotPermittedException", message);
}

/**
 * Errors every AWS JSON 1.1 operation may answer without modelling them: the protocol's common errors
 * (request validation, deserialisation, throttling, server failures).
 */
export const COMMON_ERRORS: ReadonlySet<string> = new Set([
  "ValidationException", "SerializationException", "ThrottlingException", "InternalFailure", "ServiceUnavailable",
  "UnknownOperationException",
]);

/**
 * An operation answers only errors its model lists (or common ones): an SDK cannot decode any other type
 * into the operation's exception union, and the reconciler classifies errors by those types. A handler
 * that throws anything else is an emulator bug: it surfaces as InternalFailure naming the mistake, and
 * `report` receives the same text.
 */
export function modeledOrBug(operation: string, modeled: readonly string[] | undefined, err: unknown, report: (bug: string) => void): unknown {
  if (!(err instanceof ApiError) || modeled === undefined) return err;
  if (COMMON_ERRORS.has(err.type) || modeled.includes(err.type)) return err;
  const bug = `emulator bug: ${operation} answered ${err.type}, which its model does not list (${err.message})`;
  report(bug);
  return new ApiError("InternalFailure", bug, 500);
}
