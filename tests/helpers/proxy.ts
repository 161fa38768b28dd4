// A TCP proxy on loopback between the bot and Azurite, so a test can take storage away (as a network or
// service outage would) and bring it back, with Azurite and its data untouched behind it.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export class StorageProxy {
  port = 0;
  /** HTTP requests that passed through (request lines seen from the bot's side). */
  requests = 0;
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly targetPort: number) {}

  async start(port = 0): Promise<this> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.on('data', (chunk: Buffer) => {
        this.requests += chunk.toString('latin1').match(/^(GET|POST|PUT|PATCH|MERGE|DELETE|HEAD) \S+ HTTP\/1\.1\r$/gm)?.length ?? 0;
      });
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Storage is gone: open connections drop and new ones are refused. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Storage is back, on the same address. */
  async restore(): Promise<void> {
    await this.start(this.port);
  }
}
