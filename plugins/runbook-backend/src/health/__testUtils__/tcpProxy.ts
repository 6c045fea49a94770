import net from 'node:net';

/**
 * A TCP forwarder between the backend and the sandbox cluster, so that a test can cut
 * the watch connections and refuse new ones for a while, as a network outage would, or
 * make the cluster hang.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let hung = false;
  const held = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer(client => {
    // Hung: accept, and never answer.
    if (hung) {
      held(client);
      return;
    }
    const upstream = net.connect(target.port, target.host);
    [client, upstream].forEach(held);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Drops every connection and refuses new ones until `restore`. */
    async cut() {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        sockets.forEach(s => s.destroy());
      });
    },
    restore: () => listen(port),
    /**
     * Hangs like a cluster that stops answering: open connections stay open and carry
     * nothing more, new ones are accepted and never answered.
     */
    hang() {
      hung = true;
      sockets.forEach(s => {
        s.unpipe();
        s.pause();
      });
    },
    async stop() {
      sockets.forEach(s => s.destroy());
      if (server.listening) await new Promise(r => server.close(r));
    },
  };
}
