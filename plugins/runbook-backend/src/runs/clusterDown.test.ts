import { TestDatabases } from '@backstage/backend-test-utils';
import {
  OWNER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/**
 * A cluster that refuses connections: every read a run request makes of it (the dry run,
 * the live state) is a 503 that names the cluster, never a 500 that shows its address.
 */
describe('a run request when its cluster does not answer', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('is a 503 naming the cluster, for a dry run and for a run, and records nothing', async () => {
    const started = await startRunbookBackend({
      knex: await databases.init('SQLITE_3'),
      entities: [component('ledger')],
      // Port 9 (discard) is closed here: every connection is refused.
      clusterUrl: 'http://127.0.0.1:9',
    });
    const runs = '/api/runbook/entities/component/default/ledger/runs';
    for (const body of [
      { action: 'scale', input: { replicas: 3 }, dryRun: true },
      { action: 'scale', input: { replicas: 3 } },
    ]) {
      const res = await started.http.post(runs).set(as(OWNER)).send(body);
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 503,
        message: 'Cluster sandbox could not be reached: connection refused',
      });
      expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
    }
    const history = await started.http.get(runs).set(as(OWNER));
    expect(history.body.items).toEqual([]);
  });
});
