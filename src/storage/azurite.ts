// Starts Azurite's Table and Queue services as child processes: the embedded store for development and tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stopChild } from '../childProcess';

export interface AzuriteHandle {
  port: number;
  /** The Queue service (the outbox's work queue). */
  queuePort: number;
  process: ChildProcess;
  queueProcess: ChildProcess;
  stop(): Promise<void>;
}

interface AzuriteOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The Queue service's port; 0 (default) picks a free one. */
  queuePort?: number;
  /** A folder to keep data in; without it Azurite keeps everything in memory. */
  location?: string;
  host?: string;
}

export class AzuriteError extends Error {}

function azuriteBinary(service: 'table' | 'queue' = 'table'): string {
  const bin = path.resolve(__dirname, `../../node_modules/.bin/azurite-${service}`);
  const fromDist = path.resolve(__dirname, `../../../node_modules/.bin/azurite-${service}`);
  if (existsSync(bin)) return bin;
  if (existsSync(fromDist)) return fromDist;
  throw new AzuriteError('Azurite is not installed: run "npm install" first.');
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort(host));
  if (!(await portIsFree(port, host))) {
    throw new AzuriteError(`Port ${port} is already in use: stop the other program or set AZURITE_PORT.`);
  }
  const queuePort = options.queuePort || (await freePort(host));
  if (!(await portIsFree(queuePort, host))) {
    throw new AzuriteError(`Port ${queuePort} is already in use: stop the other program or set AZURITE_QUEUE_PORT.`);
  }
  const persistence = (sub: string) =>
    options.location ? ['--location', path.join(options.location, sub)] : ['--inMemoryPersistence'];
  // Table data stays where it always was; the queue keeps its own sub-folder, so the two never share a lock file.
  const tableArgs = ['--tableHost', host, '--tablePort', String(port), '--disableTelemetry', '--skipApiVersionCheck', '--silent'];
  tableArgs.push(...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']));
  // Azurite 3.35 (the last for Node 20) rejects the queue SDK's newer API version without --skipApiVersionCheck.
  const queueArgs = ['--queueHost', host, '--queuePort', String(queuePort), '--disableTelemetry', '--skipApiVersionCheck', '--silent'];
  queueArgs.push(...persistence('queue'));
  const [table, queue] = await Promise.allSettled([
    spawnService(azuriteBinary('table'), tableArgs, host, port),
    spawnService(azuriteBinary('queue'), queueArgs, host, queuePort),
  ]);
  if (table.status === 'rejected' || queue.status === 'rejected') {
    if (table.status === 'fulfilled') await stopChild(table.value);
    if (queue.status === 'fulfilled') await stopChild(queue.value);
    throw (table.status === 'rejected' ? table.reason : (queue as PromiseRejectedResult).reason) as Error;
  }
  return {
    port,
    queuePort,
    process: table.value,
    queueProcess: queue.value,
    stop: async () => {
      await Promise.all([stopChild(table.value), stopChild(queue.value)]);
    },
  };
}

async function spawnService(binary: string, args: string[], host: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  await new Promise<void>((resolve, reject) => {
    // A busy machine (tests beside other work) can need this long; the launcher says so if it is not enough.
    const deadline = Date.now() + 60_000;
    const onExit = (code: number | null) => reject(new AzuriteError(`Azurite stopped at start (exit ${code}): ${output.trim().slice(-300)}`));
    child.once('exit', onExit);
    child.once('error', (err) => reject(new AzuriteError(`Azurite could not start: ${err.message}`)));
    const tryConnect = () => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        child.off('exit', onExit);
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) {
          // It may still come up later: stop it, so no Azurite is left running without an owner.
          child.off('exit', onExit);
          child.kill('SIGKILL');
          reject(new AzuriteError('Azurite did not start within 60 seconds.'));
        } else setTimeout(tryConnect, 50);
      });
    };
    tryConnect();
  });
  return child;
}
