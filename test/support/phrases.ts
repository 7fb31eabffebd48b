import { DomainError, type Phrasebook } from '../../src/platform/errors.js';

/**
 * What a member would read for the refusal `fn` throws: its DomainError worded by the
 * feature's phrasebook, as the interaction router words it. Throws if `fn` does not refuse.
 */
export function refusal(phrases: Phrasebook, fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const words = phrases[err.code];
    if (!words) throw new Error(`no phrasing for ${err.code}`);
    return words(err.params);
  }
  throw new Error('expected a refusal');
}

/** The same for a promise. */
export async function refusalOf(phrases: Phrasebook, promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return refusal(phrases, () => {
      throw err;
    });
  }
  throw new Error('expected a refusal');
}
