import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SandboxCluster } from '../startSandboxCluster';
import { call, startTestCluster } from './testCluster';

/**
 * Debian's official Python client (python3-kubernetes 22.6, installed by
 * scripts/bootstrap) against the sandbox. It sends `watch=True`, which a server that only
 * knows `true` answers with a plain list.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'python', 'officialClient.py');

// A real process and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

describe('the official Python client against the sandbox', () => {
  let cluster: SandboxCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startTestCluster();
    dir = mkdtempSync(join(tmpdir(), 'sandbox-python-'));
    writeFileSync(join(dir, 'kubeconfig'), cluster.kubeconfig());
  });
  afterAll(async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists deployments, receives a watch event and creates a secret', async () => {
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [SCRIPT, join(dir, 'kubeconfig'), 'nexus-shop'],
      { timeout: 45_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      deployments: ['cart', 'checkout'],
      watchEvents: [['ADDED', 'python-watched']],
      secret: { type: 'Opaque', token: 'from-python' },
    });
    const stored = await call(
      cluster,
      'GET',
      '/api/v1/namespaces/nexus-shop/secrets/python-secret',
    );
    expect(Buffer.from(stored.body.data.token, 'base64').toString()).toBe(
      'from-python',
    );
  });
});
