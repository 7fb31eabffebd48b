import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/platform/db/client.js';

// Which failures the interaction boundary answers with "temporarily unavailable, nothing was
// changed, try again" instead of "something went wrong".
describe('isDatabaseUnavailable', () => {
  it('recognises connection failures, also when wrapped', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: { code: '57P01', message: 'terminating connection due to administrator command' } }))).toBe(true);
    expect(isDatabaseUnavailable({ code: 'P2024', message: 'Timed out fetching a new connection from the connection pool' })).toBe(true);
  });

  it('recognises a transaction that could not start or expired in time (rolled back)', () => {
    expect(isDatabaseUnavailable({ code: 'P2028', message: 'Transaction API error: Unable to start a transaction in the given time.' })).toBe(true);
  });

  it('does not hide bugs or constraint violations', () => {
    expect(isDatabaseUnavailable({ code: 'P2002', message: 'Unique constraint failed on the constraint: `guilds_pkey`' })).toBe(false);
    expect(isDatabaseUnavailable({ code: '40P01', message: 'deadlock detected' })).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
