/**
 * A TCP proxy in front of PostgreSQL so a test can "kill" the database for one bot without
 * touching the server other tests share: `cut()` drops every connection and refuses new
 * ones, `restore()` lets them through again.
 */
import net from 'node:net';

export class TcpProxy {
  private sockets = new Set<net.Socket>();
  private down = false;
  private constructor(private server: net.Server, readonly port: number) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = net.createServer((client) => {
      if (proxy.down) {
        client.destroy();
        return;
      }
      const upstream = net.connect(targetPort, targetHost);
      proxy.sockets.add(client);
      proxy.sockets.add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        proxy.sockets.delete(client);
        proxy.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    return proxy;
  }

  /** Rewrites a PostgreSQL URL to go through this proxy. */
  wrap(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
