/**
 * Error classes shared by every stage. Each carries a stable `code` so the CLI, the
 * queue workers and the HTTP API can tell bad input (never retried) from transient faults.
 */

export type ErrorCode =
  | "E_INPUT_MISSING"
  | "E_INPUT_UNREADABLE"
  | "E_INPUT_FORMAT"
  | "E_INPUT_TRUNCATED"
  | "E_INPUT_TOO_LARGE"
  | "E_INPUT_NODATA"
  | "E_NO_OVERLAP"
  | "E_BANDS_MISMATCH"
  | "E_CONFIG"
  | "E_ARGUMENT";

export class ChangewatchError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = this.constructor.name;
  }
}

/**
 * A problem with an input image that no retry can fix. The message always starts with
 * the file it concerns: `samples/x.tif: not a TIFF file (bad byte-order mark)`.
 */
export class InputError extends ChangewatchError {
  readonly file: string;
  constructor(code: ErrorCode, file: string, problem: string, options?: { cause?: unknown }) {
    super(code, `${file}: ${problem}`, options);
    this.file = file;
  }
}

/** Settings or arguments that fail validation; the message names the offending field. */
export class ConfigError extends ChangewatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_CONFIG", message, options);
  }
}

/** True for errors caused by the input or settings, which must fail a job without retries. */
export function isPermanentError(err: unknown): boolean {
  return err instanceof ChangewatchError;
}
