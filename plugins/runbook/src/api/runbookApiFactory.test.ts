import { runbookApiFactory } from './runbookApiFactory';

describe('runbookApiFactory', () => {
  it('calls the runbook backend found by discovery through the authenticated fetch', async () => {
    const fetch = jest.fn(
      async () => new Response(JSON.stringify({ items: [] }), { status: 200 }),
    );
    const discoveryApi = {
      getBaseUrl: jest.fn(async () => 'http://backend/api/runbook'),
    };
    const client = runbookApiFactory.factory({
      discoveryApi,
      fetchApi: { fetch },
    });

    await client.listRuns('component:default/media-upload');

    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('runbook');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/runbook/entities/component/default/media-upload/runs',
      undefined,
    );
  });
});
