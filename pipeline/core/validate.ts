/**
 * Entry checks shared by every core kernel. They are cheap (lengths and integers only) and
 * throw RangeError with one message shape, so a caller's bug fails before any pixel work.
 */

/** Throws unless `value` is an integer >= 0: `Expected non-negative integer for width but received 1.5`. */
export function checkNonNegativeInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`Expected non-negative integer for ${name} but received ${value}`);
  }
}

/** Throws unless `value` is an integer >= 1: `Expected positive integer for bands but received 0`. */
export function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Expected positive integer for ${name} but received ${value}`);
  }
}

/** Throws unless `actual === expected`: `Expected out of length 12 but received 9`. */
export function checkLength(name: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new RangeError(`Expected ${name} of length ${expected} but received ${actual}`);
  }
}

/** Throws unless `actual >= minimum`: `Expected scratch of length at least 12 but received 9`. */
export function checkMinLength(name: string, actual: number, minimum: number): void {
  if (actual < minimum) {
    throw new RangeError(`Expected ${name} of length at least ${minimum} but received ${actual}`);
  }
}

/** Throws unless `min <= value <= max` (NaN fails): `Expected q in [0, 1] but received 2`. */
export function checkInRange(name: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw new RangeError(`Expected ${name} in [${min}, ${max}] but received ${value}`);
  }
}

/** Checks an image's dimensions and that `buffer` holds exactly width*height*bands samples. */
export function checkImage(
  name: string,
  buffer: ArrayLike<number>,
  width: number,
  height: number,
  bands = 1,
): void {
  checkNonNegativeInteger("width", width);
  checkNonNegativeInteger("height", height);
  checkLength(name, buffer.length, width * height * bands);
}

/** Checks a pixel count and band count and that `buffer` holds exactly pixelCount*bands samples. */
export function checkPixels(
  name: string,
  buffer: ArrayLike<number>,
  pixelCount: number,
  bands: number,
): void {
  checkNonNegativeInteger("pixelCount", pixelCount);
  checkPositiveInteger("bands", bands);
  checkLength(name, buffer.length, pixelCount * bands);
}

/** Throws unless `band` indexes one of `bands` bands: `Expected red to be a band index in [0, 2] but received 3`. */
export function checkBandIndex(name: string, band: number, bands: number): void {
  if (!Number.isInteger(band) || band < 0 || band >= bands) {
    throw new RangeError(`Expected ${name} to be a band index in [0, ${bands - 1}] but received ${band}`);
  }
}

/** Throws unless value is a power of two (1 included): `Expected power of two for size but received 12`. */
export function checkPowerOfTwo(name: string, value: number): void {
  if (!(value >= 1 && Number.isInteger(Math.log2(value)))) {
    throw new RangeError(`Expected power of two for ${name} but received ${value}`);
  }
}
