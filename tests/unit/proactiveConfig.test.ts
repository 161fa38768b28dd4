// The settings of the outbox and the digest: sensible defaults, and a bad schedule named at start.
import { ConfigError, loadConfig } from '../../src/config';

const base = {
  STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111',
};

it('sends the digest on Monday 08:00 and three days before a meeting, at 50 requests a second, by default', () => {
  const config = loadConfig(base);
  expect(config.digest).toEqual({ schedule: '0 8 * * 1', daysBeforeMeeting: 3, channelId: '', scheduler: true });
  expect(config.proactive).toMatchObject({ appRate: 40, concurrency: 8, sweepSeconds: 300, maxAttempts: 6, worker: true, retentionDays: 90 });
});

it('derives the queue endpoint from a managed-identity account URL', () => {
  const config = loadConfig({ ...base, STORAGE_CONNECTION_STRING: '', STORAGE_ACCOUNT_URL: 'https://acc.table.core.windows.net' });
  expect(config.proactive.queueUrl).toBe('https://acc.queue.core.windows.net');
});

it.each(['every monday', '0 25 * * 1', '0 8 * *'])('names DIGEST_SCHEDULE when it is not a cron pattern (%s)', (pattern) => {
  expect(() => loadConfig({ ...base, DIGEST_SCHEDULE: pattern })).toThrow(ConfigError);
  expect(() => loadConfig({ ...base, DIGEST_SCHEDULE: pattern })).toThrow(/DIGEST_SCHEDULE/);
});
