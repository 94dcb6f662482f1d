/**
 * The rules for CA names, `^[A-Za-z0-9-._]{1,64}$` (Azure IoT Hub's certificate
 * names), and descriptions, alone in a module with no store dependency so commands
 * can check `--name` and `--description` before they load anything else.
 */
import { UsageError } from '../errors.js';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The longest description, in UTF-16 code units after trimming. */
export const DESCRIPTION_LIMIT = 1024;

/** True when `text`, trimmed, is a valid description: at most DESCRIPTION_LIMIT printable characters. */
export function isCaDescription(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length <= DESCRIPTION_LIMIT && !/\p{Cc}/u.test(trimmed);
}

/** True when `text` is a valid CA name. */
export function isCaName(text: string): boolean {
  return NAME.test(text);
}

/**
 * Checks a name given with `--name`.
 * @throws UsageError naming the rule when `name` breaks it.
 */
export function assertCaName(name: string): void {
  if (isCaName(name)) return;
  throw new UsageError(
    `invalid CA certificate name "${name}": it must be 1 to 64 characters from A-Z, a-z, 0-9, '-', '.' and '_'`,
    'names follow ^[A-Za-z0-9-._]{1,64}$, as Azure IoT Hub certificate names do',
  );
}
