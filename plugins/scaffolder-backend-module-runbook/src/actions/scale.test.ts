import { FakeRunbookClient } from '../__testUtils__/FakeRunbookClient';
import { createTestContext } from '../__testUtils__/testContext';
import { createScaleAction } from './scale';

describe('runbook:scale', () => {
  it('asks the engine to scale the service, with the confirmation and reason', async () => {
    const client = new FakeRunbookClient([{ status: 'succeeded' }]);
    const action = createScaleAction({
      clientFor: () => client,
      appBaseUrl: 'http://portal.test',
      pollIntervalMs: 1,
    });
    const { ctx } = createTestContext({
      entityRef: 'component:default/media-upload',
      replicas: 5,
      confirm: 'media-upload',
      reason: 'Launch-day traffic',
    });

    await action.handler(ctx);

    expect(client.started[0].request).toEqual({
      action: 'scale',
      input: { replicas: 5 },
      confirm: 'media-upload',
      reason: 'Launch-day traffic',
    });
    expect(ctx.output).toHaveBeenCalledWith('runId', 'run-1');
  });

  it('publishes a JSON schema that requires entityRef and a whole replica count', () => {
    const action = createScaleAction({
      clientFor: () => new FakeRunbookClient([]),
      appBaseUrl: 'http://portal.test',
    });

    expect(action.schema?.input).toMatchObject({
      required: expect.arrayContaining(['entityRef', 'replicas']),
      properties: {
        replicas: { type: 'integer', minimum: 0, maximum: 1000 },
      },
    });
  });
});
