import { ConfigError, loadConfig, loadStartOptions } from '../../src/config';

const base = {
  STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111',
};

it('has sensible defaults for a developer machine', () => {
  const config = loadConfig(base);
  expect(config.port).toBe(3978);
  expect(config.host).toBe('127.0.0.1');
  expect(config.bot.appId).toBe('');
  expect(config.locale).toEqual({ fallback: 'nl' });
});

it('reads comma separated tenant and admin lists, case-insensitively', () => {
  const config = loadConfig({
    ...base,
    ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111, 22222222-2222-4222-8222-22222222222A',
    BOOTSTRAP_ADMINS: 'AAAAAAAA-0000-4000-8000-000000000001',
  });
  expect(config.access.allowedTenantIds).toEqual([
    '11111111-1111-4111-8111-111111111111',
    '22222222-2222-4222-8222-22222222222a',
  ]);
  expect(config.access.bootstrapAdmins).toEqual(['aaaaaaaa-0000-4000-8000-000000000001']);
});

it.each([
  [{ ...base, STORAGE_CONNECTION_STRING: '' }, /STORAGE_CONNECTION_STRING/],
  [{ ...base, ALLOWED_TENANT_IDS: '' }, /ALLOWED_TENANT_IDS/],
  [{ ...base, ALLOWED_TENANT_IDS: 'contoso' }, /GUID/],
  [{ ...base, PORT: 'abc' }, /PORT/],
  [{ ...base, MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_TYPE: 'SingleTenant' }, /MICROSOFT_APP_PASSWORD/],
  [{ ...base, TABLE_PREFIX: 'bo-wonen' }, /TABLE_PREFIX/],
])('refuses bad configuration with one readable sentence (%#)', (env, pattern) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(pattern);
});

it('takes npm start options from the environment, flags winning', () => {
  expect(loadStartOptions({}, [])).toMatchObject({ playground: true, azuritePort: 10002, playgroundPort: 56150 });
  expect(loadStartOptions({ PLAYGROUND: 'on' }, ['--no-playground']).playground).toBe(false);
  expect(loadStartOptions({ PLAYGROUND_AS: 'ruud' }, ['--as', 'joost']).playgroundAs).toBe('joost');
  expect(() => loadStartOptions({}, ['--verbose'])).toThrow(/Unknown option --verbose/);
});

it('refuses to listen beyond loopback without a bot app id, since nobody could be checked', () => {
  expect(() => loadConfig({ ...base, HOST: '0.0.0.0' })).toThrow(/MICROSOFT_APP_ID is empty while HOST=0.0.0.0/);
  expect(loadConfig({ ...base, HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }).host).toBe('0.0.0.0');
  expect(
    loadConfig({ ...base, HOST: '0.0.0.0', MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_PASSWORD: 'x' }).host,
  ).toBe('0.0.0.0');
});
