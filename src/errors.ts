/**
 * An error whose message is meant for the user who caused it (bad input, missing permission,
 * something not found). The interaction boundary shows it ephemerally and logs at info level.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid-input' | 'forbidden' | 'not-found' | 'conflict' | 'expired' | 'limit' = 'invalid-input',
  ) {
    super(message);
    this.name = 'UserError';
  }
}
