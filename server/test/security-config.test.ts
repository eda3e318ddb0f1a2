import { describe, expect, it } from 'vitest';
import { trustedProxies } from '../src/client-address.js';
import { limitsFromEnv, securityFromEnv } from '../src/config.js';

// The operator's security settings come from the environment: a typo must
// stop the server with the variable's name, never widen what is allowed.

describe('security settings from the environment', () => {
  it('reads origin lists, the public URL, proxies and the token lifetime', () => {
    const security = securityFromEnv({
      CANDYCE_ALLOWED_ORIGINS: 'https://ent.example, https://lms.example:8443/',
      CANDYCE_PUBLIC_URL: 'https://notebooks.school.example/some/path',
      CANDYCE_EMBED_ORIGINS: 'https://capytale.example',
      CANDYCE_TRUSTED_PROXY: '127.0.0.1, 10.0.0.0/8',
      CANDYCE_MAX_TOKEN_DAYS: '7',
      CANDYCE_LINK_SOURCES: 'https:, http://intranet.lycee.example:8080/notebooks',
    });
    expect(security).toEqual({
      allowedOrigins: ['https://ent.example', 'https://lms.example:8443'],
      publicUrl: 'https://notebooks.school.example',
      embedOrigins: ['https://capytale.example'],
      trustedProxies: ['127.0.0.1', '10.0.0.0/8'],
      maxTokenLifetimeSeconds: 7 * 86_400,
      linkSources: ['https:', 'http://intranet.lycee.example:8080'],
    });
    expect(securityFromEnv({}).maxTokenLifetimeSeconds).toBe(180 * 86_400);
    expect(securityFromEnv({}).linkSources).toEqual(['https:']);
    expect(securityFromEnv({ CANDYCE_LINK_SOURCES: '' }).linkSources).toEqual([]);
    expect(() => securityFromEnv({ CANDYCE_LINK_SOURCES: "'unsafe-inline'" })).toThrow(
      /CANDYCE_LINK_SOURCES/,
    );
  });

  it('refuses values that are not origins, addresses or numbers, naming the variable', () => {
    expect(() => securityFromEnv({ CANDYCE_ALLOWED_ORIGINS: 'evil' })).toThrow(/CANDYCE_ALLOWED_ORIGINS/);
    expect(() => securityFromEnv({ CANDYCE_EMBED_ORIGINS: 'file:///etc' })).toThrow(/CANDYCE_EMBED_ORIGINS/);
    expect(() => securityFromEnv({ CANDYCE_MAX_TOKEN_DAYS: 'forever' })).toThrow(/CANDYCE_MAX_TOKEN_DAYS/);
    expect(() => trustedProxies(['proxy.internal'])).toThrow(/CANDYCE_TRUSTED_PROXY/);
    expect(() => trustedProxies(['10.0.0.0/33'])).toThrow(/prefix/);
    expect(() => limitsFromEnv({ CANDYCE_MAX_CONNECTIONS_PER_USER: 'lots' })).toThrow(
      /CANDYCE_MAX_CONNECTIONS_PER_USER/,
    );
  });

  it('matches trusted proxies by address and subnet, IPv4-mapped addresses included', () => {
    const proxies = trustedProxies(['10.0.0.0/8', '::1']);
    expect(proxies.has('10.1.2.3')).toBe(true);
    expect(proxies.has('::ffff:10.1.2.3')).toBe(true);
    expect(proxies.has('::1')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
    expect(proxies.has('not an address')).toBe(false);
    expect(trustedProxies([]).has('127.0.0.1')).toBe(false);
  });
});
