import { FakeRunbookClient } from '../__testUtils__/FakeRunbookClient';
import { createScaleAction } from './scale';

describe('runbook:scale', () => {
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
