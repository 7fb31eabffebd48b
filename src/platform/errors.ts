/**
 * Two kinds of refusal, both shown privately to the member and logged at info level by the
 * interaction boundary:
 * - DomainError: thrown by rules and services. It carries a code and parameters, never words
 *   meant for Discord; the feature's Discord adapter phrases it (see Phrasebook).
 * - UserError: thrown by Discord adapters and commands, whose words are already for Discord
 *   (a damaged button, a forged option).
 */
export type ErrorKind = 'invalid-input' | 'forbidden' | 'not-found' | 'conflict' | 'expired' | 'limit';

export type ErrorParams = Readonly<Record<string, string | number>>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: ErrorParams = {},
    readonly kind: ErrorKind = 'invalid-input',
    /** The error it stands for, if any (logged with the refusal). */
    options?: { cause?: unknown },
  ) {
    super(Object.keys(params).length ? `${code} ${JSON.stringify(params)}` : code, options);
    this.name = 'DomainError';
  }
}

export class UserError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = 'invalid-input',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** How a feature's Discord adapter words its domain errors: code → sentence. */
export type Phrasebook = Readonly<Record<string, (params: ErrorParams) => string>>;

/** One phrasebook from many; a code defined twice is a programming error. */
export function mergePhrasebooks(books: readonly Phrasebook[]): Phrasebook {
  const merged: Record<string, (params: ErrorParams) => string> = {};
  for (const book of books) {
    for (const [code, phrase] of Object.entries(book)) {
      if (code in merged) throw new Error(`error code "${code}" is phrased twice`);
      merged[code] = phrase;
    }
  }
  return merged;
}
