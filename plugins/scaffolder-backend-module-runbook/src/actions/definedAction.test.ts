import { validate } from 'jsonschema';
import {
  actionDefinition,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import { actionInputJsonSchema } from '@nexus-cos/plugin-runbook-node';
import { FakeRunbookClient } from '../__testUtils__/FakeRunbookClient';
import { createTestContext } from '../__testUtils__/testContext';
import { createDefinedAction } from './definedAction';
import { createRunbookActions } from './index';

const DERIVED: RunbookActionName[] = [
  'scale',
  'stop',
  'start',
  'restart',
  'pause-rollout',
  'resume-rollout',
  'rollback',
  'set-resources',
  'configure-autoscaling',
  'delete-pod',
  'diagnostics',
  'backup',
  'verify-backup',
  'restore',
  'config-backup',
  'config-restore',
  'renew-certificate',
  'rotate-secret',
  'rotate-db-password',
  'review-access',
];

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

type JsonSchema = {
  properties: Record<string, any>;
  required?: string[];
  additionalProperties?: boolean;
};

const inputSchemaOf = (id: string) =>
  setup().byId(id).schema!.input as unknown as JsonSchema;

describe('actions derived from the definitions', () => {
  it('are every service and Resource action without a hand-written one', () => {
    const { actions } = setup();
    const hand = [
      'runbook:checklist',
      'runbook:deploy',
      'runbook:blue-green:deploy',
      'runbook:blue-green:switch',
      'runbook:blue-green:decommission',
      'runbook:dr-drill',
    ];
    expect(actions.map(a => a.id)).toEqual([
      ...hand,
      ...DERIVED.map(action => `runbook:${action}`),
    ]);
  });

  it.each(DERIVED)(
    'runbook:%s takes the definition’s input plus entityRef, confirm and reason',
    action => {
      const definition = actionDefinition(action);
      const own = actionInputJsonSchema(action);
      const { description } = setup().byId(`runbook:${action}`);
      const schema = inputSchemaOf(`runbook:${action}`);

      expect(description).toBe(definition.description);
      expect(Object.keys(schema.properties).sort()).toEqual(
        [
          ...Object.keys(own.properties ?? {}),
          'entityRef',
          'confirm',
          'reason',
        ].sort(),
      );
      expect(schema.required?.sort()).toEqual(
        [...(own.required ?? []), 'entityRef'].sort(),
      );
      expect(schema.additionalProperties).toBe(false);
      expect(schema.properties.reason).toMatchObject({
        type: 'string',
        maxLength: 500,
      });
    },
  );

  it('publishes a JSON schema that requires entityRef and a whole replica count', () => {
    const action = createDefinedAction('scale', {
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

  it('describes nested inputs and takes nothing else', () => {
    expect(inputSchemaOf('runbook:set-resources').properties.limits).toEqual({
      type: 'object',
      properties: {
        cpu: { type: 'string', pattern: expect.any(String) },
        memory: { type: 'string', pattern: expect.any(String) },
      },
      additionalProperties: false,
    });
    expect(inputSchemaOf('runbook:pause-rollout')).toMatchObject({
      properties: {
        entityRef: { type: 'string' },
        confirm: { type: 'string' },
        reason: { type: 'string' },
      },
      required: ['entityRef'],
    });
  });

  it('runbook:pause-rollout asks the engine to pause the service', async () => {
    const { client, byId } = setup();
    const { ctx } = createTestContext({
      entityRef: 'component:default/media-upload',
      confirm: 'media-upload',
      reason: 'error rate climbing with the new pods',
    });

    await byId('runbook:pause-rollout').handler(ctx);

    expect(client.started).toEqual([
      {
        entityRef: 'component:default/media-upload',
        request: {
          action: 'pause-rollout',
          input: {},
          confirm: 'media-upload',
          reason: 'error rate climbing with the new pods',
        },
        idempotencyKey: 'task-1:deploy',
        initiator: 'scaffolder',
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith(
      'runUrl',
      'http://portal.test/runbook/runs/run-1',
    );
  });

  it('runbook:set-resources sends the nested input as the engine takes it', async () => {
    const { client, byId } = setup();
    const input = {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { memory: '1Gi' },
    };
    const { ctx } = createTestContext({
      entityRef: 'component:default/media-upload',
      ...input,
    });

    await byId('runbook:set-resources').handler(ctx);

    expect(client.started).toEqual([
      {
        entityRef: 'component:default/media-upload',
        request: { action: 'set-resources', input },
        idempotencyKey: 'task-1:deploy',
        initiator: 'scaffolder',
      },
    ]);
  });

  it('refuses a bad input, naming the field, before any run starts', async () => {
    const { client, byId } = setup();
    const { ctx } = createTestContext({
      entityRef: 'component:default/media-upload',
      limits: { cpu: 'lots' },
    });

    await expect(byId('runbook:set-resources').handler(ctx)).rejects.toThrow(
      'Invalid set-resources request for component:default/media-upload: input.limits.cpu: must be a CPU quantity like "500m" or "2"',
    );
    expect(client.started).toEqual([]);
  });

  it('publishes JSON schemas that name the field the scaffolder refuses', () => {
    const errorsOf = (id: string, input: object) =>
      validate(input, inputSchemaOf(id) as any).errors.map(e => e.stack);

    expect(
      errorsOf('runbook:rollback', {
        entityRef: 'component:default/media-upload',
        revision: 0,
      }),
    ).toEqual(['instance.revision must be greater than or equal to 1']);
    expect(
      errorsOf('runbook:pause-rollout', {
        entityRef: 'component:default/media-upload',
        replicas: 3,
      }),
    ).toEqual([
      'instance is not allowed to have the additional property "replicas"',
    ]);
  });
});
