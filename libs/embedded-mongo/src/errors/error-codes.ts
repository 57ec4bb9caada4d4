import { CommandError } from './embedded-mongo-error';

/** MongoDB server error codes this server answers with (names as MongoDB spells them). */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  Unauthorized: 13,
  ProtocolError: 17,
  AuthenticationFailed: 18,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  MechanismUnavailable: 334,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  Location16410: 16410,
} as const;

/** Name of a MongoDB error code. */
export type ErrorCodeName = keyof typeof ErrorCode;

/** Creates a {@link CommandError} from a code name, e.g. `commandError('BadValue', 'x must be a number')`. */
export function commandError(name: ErrorCodeName, message: string, cause?: unknown): CommandError {
  return new CommandError(ErrorCode[name], name, message, cause === undefined ? {} : { cause });
}
