// `npm run import:plans -- <file>` as the secretariaat runs it: beside a running `npm start` (its Azurite with
// tables and the outbox's queue), and alone (it starts Azurite on the data folder itself).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SAMPLE_FILE } from '../../src/features/plans';
import { freePort, portIsFree } from '../../src/storage/azurite';
import { testTablePrefix } from '../helpers/harness';

const root = path.resolve(__dirname, '../..');

function runImport(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'scripts/import-plans.ts', SAMPLE_FILE], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

it('imports a plan list into the Azurite of a running npm start, and a second run changes nothing', async () => {
  // The test run's Azurite stands in for the one `npm start` runs: tables and queue on their ports.
  const env = {
    AZURITE_PORT: process.env.TEST_AZURITE_PORT!,
    AZURITE_QUEUE_PORT: process.env.TEST_AZURITE_QUEUE_PORT!,
    TABLE_PREFIX: testTablePrefix(),
  };
  const first = await runImport(env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^Planlijst ingelezen \(\d+,\d s\): 15 nieuw, 0 gewijzigd, 0 gelijk gebleven, 0 rijen afgekeurd\./);
  const second = await runImport(env);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('0 nieuw, 0 gewijzigd, 15 gelijk gebleven');
}, 90_000);

it('starts Azurite on the data folder itself when no npm start runs, and stops it again', async () => {
  const ports = [await freePort(), await freePort()];
  const run = await runImport({
    AZURITE_PORT: String(ports[0]),
    AZURITE_QUEUE_PORT: String(ports[1]),
    AZURITE_LOCATION: mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-import-')),
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('15 nieuw');
  // Nothing left running: both Azurite services are gone.
  expect(await Promise.all(ports.map((port) => portIsFree(port)))).toEqual([true, true]);
}, 90_000);
