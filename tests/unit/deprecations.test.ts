// A start prints only the bot's own lines: loading the HTTP server (restify) and the rest of the app on Node 20
// warns about nothing. restify 11 loads spdy for an option BO Wonen never sets; the real spdy's http-deceiver
// called process.binding('http_parser') (DEP0111), so package.json overrides spdy with packages/spdy-unused.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

it('loads restify and the app without a deprecation warning', () => {
  const root = path.join(__dirname, '../..');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('restify'); import('./src/app.ts').then(() => process.stdout.write('loaded'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stdout).toBe('loaded');
  expect(run.stderr).not.toMatch(/DeprecationWarning|DEP0\d+/);
});

it('refuses the spdy server option plainly instead of half-serving it', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const spdy = require('spdy') as { createServer: () => unknown };
  expect(() => spdy.createServer()).toThrow(/does not ship spdy/);
});
