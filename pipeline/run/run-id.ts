/**
 * Run ids: a hash of the inputs and the settings that affect results, so the same pair
 * processed with the same settings always gets the same id (queues use it to deduplicate).
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";

export function runIdFor(before: string, after: string, parameters: unknown): string {
  const ref = (p: string) => (/^https?:\/\//.test(p) ? p : resolve(p));
  return createHash("sha256")
    .update(JSON.stringify({ before: ref(before), after: ref(after), parameters }))
    .digest("hex")
    .slice(0, 16);
}
