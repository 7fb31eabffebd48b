import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.js';

describe('configuration', () => {
  it('accepts a minimal environment and applies defaults', () => {
    const c = loadConfig({ DISCORD_TOKEN: 'abc.def' });
    expect(c).toMatchObject({ DISCORD_TOKEN: 'abc.def', LOG_LEVEL: 'info', METRICS_PORT: 9464, DATA_DIR: './data' });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('names the missing token in one line', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/^Invalid configuration: DISCORD_TOKEN is required/);
  });

  it('names every malformed variable and what is expected', () => {
    try {
      loadConfig({ DISCORD_TOKEN: 't', DATABASE_URL: 'mysql://x', METRICS_PORT: '70000', LOG_LEVEL: 'loud', DISCORD_API_URL: 'ftp://x' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg.split('\n')).toHaveLength(1);
      expect(msg).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
      expect(msg).toMatch(/METRICS_PORT must be a port number/);
      expect(msg).toMatch(/LOG_LEVEL must be one of/);
      expect(msg).toMatch(/DISCORD_API_URL/);
    }
  });

  it('treats empty optional values as unset', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't', DATABASE_URL: '', DISCORD_API_URL: '' })).toMatchObject({ DATABASE_URL: undefined, DISCORD_API_URL: undefined });
  });
});
