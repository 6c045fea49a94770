import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createInitiatorClientFactory } from './initiatorClient';

describe('createInitiatorClientFactory', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url?: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.writeHead(req.method === 'POST' ? 202 : 200, {
        'Content-Type': 'application/json',
      });
      res.end(JSON.stringify({ id: 'run-1', status: 'pending' }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/runbook`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => seen.splice(0));

  it('calls the runbook backend with a token on behalf of the initiator', async () => {
    const auth = mockServices.auth();
    const discovery = {
      getBaseUrl: jest.fn(async () => baseUrl),
      getExternalBaseUrl: jest.fn(),
    };
    const alice = mockCredentials.user('user:default/alice');
    const client = createInitiatorClientFactory({ auth, discovery })(alice);

    await client.startRun(
      'component:default/media-upload',
      { action: 'restart', input: {} },
      { idempotencyKey: 'task-1:restart' },
    );

    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: alice,
      targetPluginId: 'runbook',
    });
    expect(discovery.getBaseUrl).toHaveBeenCalledWith('runbook');
    expect(seen).toEqual([
      {
        url: '/api/runbook/entities/component/default/media-upload/runs',
        headers: expect.objectContaining({
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': 'task-1:restart',
        }),
      },
    ]);
    expect(token).toContain('user:default/alice');
  });
});
