import { validate } from 'jsonschema';
import { parse } from 'yaml';
import { FakeRunbookClient } from '../__testUtils__/FakeRunbookClient';
import { createTestContext } from '../__testUtils__/testContext';
import { createRunbookActions } from './index';

function setup() {
  const client = new FakeRunbookClient([{ status: 'succeeded' }]);
  const actions = createRunbookActions({
    clientFor: () => client,
    appBaseUrl: 'http://portal.test',
    pollIntervalMs: 1,
  });
  const byId = (id: string) => {
    const action = actions.find(a => a.id === id);
    if (!action) throw new Error(`no action ${id}`);
    return action;
  };
  return { client, actions, byId };
}

describe('runbook actions', () => {
  it.each([
    [
      'runbook:checklist',
      {
        entityRef: 'component:default/media-upload',
        confirmations: ['review-change-request', 'notify-stakeholders'],
      },
      {
        action: 'checklist',
        input: {
          confirmations: ['review-change-request', 'notify-stakeholders'],
        },
      },
    ],
    [
      'runbook:deploy',
      {
        entityRef: 'component:default/media-upload',
        image: 'nexus-cos/media-upload:2.4.1',
        healthWindowSeconds: 120,
      },
      {
        action: 'set-image',
        input: {
          image: 'nexus-cos/media-upload:2.4.1',
          healthWindowSeconds: 120,
        },
      },
    ],
    [
      'runbook:blue-green:deploy',
      {
        entityRef: 'component:default/payment-gateway',
        image: 'nexus-cos/payment-gateway:3.0.0',
      },
      {
        action: 'blue-green-deploy',
        input: { image: 'nexus-cos/payment-gateway:3.0.0' },
      },
    ],
    [
      'runbook:blue-green:switch',
      { entityRef: 'component:default/payment-gateway' },
      { action: 'blue-green-switch', input: { monitorSeconds: 300 } },
    ],
    [
      'runbook:blue-green:switch',
      {
        entityRef: 'component:default/payment-gateway',
        monitorWindowSeconds: 2,
      },
      { action: 'blue-green-switch', input: { monitorSeconds: 2 } },
    ],
    [
      'runbook:blue-green:decommission',
      { entityRef: 'component:default/payment-gateway' },
      { action: 'blue-green-decommission', input: {} },
    ],
    [
      'runbook:scale',
      { entityRef: 'component:default/media-upload', replicas: 0 },
      { action: 'scale', input: { replicas: 0 } },
    ],
    [
      'runbook:restart',
      { entityRef: 'component:default/search-indexer' },
      { action: 'restart', input: {} },
    ],
    [
      'runbook:dr-drill',
      { entityRef: 'resource:default/nexus-db' },
      { action: 'dr-drill', input: {} },
    ],
  ])(
    '%s asks the engine for the right run (%j)',
    async (id, input, request) => {
      const { client, byId } = setup();
      const { ctx } = createTestContext({
        ...input,
        confirm: 'the-name',
        reason: 'why',
      });

      await byId(id).handler(ctx);

      expect(client.started).toEqual([
        {
          entityRef: input.entityRef,
          request: { ...request, confirm: 'the-name', reason: 'why' },
          idempotencyKey: 'task-1:deploy',
          initiator: 'scaffolder',
        },
      ]);
      expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    },
  );

  it('refuses an image without a tag, naming the field, before any run starts', async () => {
    const { client, byId } = setup();
    const { ctx } = createTestContext({
      entityRef: 'component:default/media-upload',
      image: 'nexus-cos/media-upload',
    });

    await expect(byId('runbook:deploy').handler(ctx)).rejects.toThrow(
      'Invalid set-image request for component:default/media-upload: input.image: image must name a tag or digest',
    );
    expect(client.started).toEqual([]);
  });

  it('has examples that use the action with an input its schema and the engine rules accept', async () => {
    const { actions, client } = setup();
    for (const action of actions) {
      expect(action.examples?.length).toBeGreaterThan(0);
      for (const example of action.examples ?? []) {
        const { steps } = parse(example.example);
        expect(steps).toHaveLength(1);
        expect(steps[0].action).toBe(action.id);
        expect(validate(steps[0].input, action.schema!.input!).errors).toEqual(
          [],
        );
        await action.handler(createTestContext(steps[0].input).ctx);
      }
    }
    expect(client.started.length).toBeGreaterThanOrEqual(actions.length);
  });

  it('publishes JSON schemas that reject what the scaffolder must not pass on', () => {
    const { byId } = setup();
    const errorsOf = (id: string, input: object) =>
      validate(input, byId(id).schema!.input!).errors.map(e => e.stack);

    expect(errorsOf('runbook:restart', { reason: 'x' })).toEqual([
      'instance requires property "entityRef"',
    ]);
    expect(
      errorsOf('runbook:checklist', {
        entityRef: 'component:default/media-upload',
        confirmations: ['skip-tests'],
      }),
    ).toEqual([
      expect.stringMatching(
        /^instance\.confirmations\[0\] is not one of enum values/,
      ),
    ]);
    expect(
      errorsOf('runbook:blue-green:switch', {
        entityRef: 'component:default/payment-gateway',
        monitorWindowSeconds: 1.5,
      }),
    ).toEqual(['instance.monitorWindowSeconds is not of a type(s) integer']);
  });
});
