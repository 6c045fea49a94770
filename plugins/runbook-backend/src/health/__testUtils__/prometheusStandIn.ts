import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A stand-in for Prometheus's HTTP query API, answering in its JSON format. It only tests
 * the provider's requests and parsing; the acceptance tests against a real Prometheus
 * scraping the sandbox come with the sandbox's traffic and /metrics.
 */
export async function startPrometheusStandIn(
  answer: (query: string, path: string) => unknown,
  delayMs = 0,
) {
  const queries: Array<{
    path: string;
    query: string;
    params: URLSearchParams;
  }> = [];
  // While held, queries wait unanswered until release().
  let held: Promise<void> | undefined;
  let release = () => {};
  let pending = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', async () => {
      const params = new URLSearchParams(body);
      const path = req.url!.replace(/\?.*/, '');
      queries.push({ path, query: params.get('query')!, params });
      pending += 1;
      await held;
      setTimeout(() => {
        pending -= 1;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(answer(params.get('query')!, path)));
      }, delayMs);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    /** Queries received and not yet answered. */
    pending: () => pending,
    hold: () => {
      held = new Promise(r => {
        release = r;
      });
    },
    release: () => {
      held = undefined;
      release();
    },
    stop: () => {
      release();
      return new Promise(r => server.close(r));
    },
  };
}
