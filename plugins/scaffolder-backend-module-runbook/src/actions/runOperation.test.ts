import { FakeRunbookClient } from '../__testUtils__/FakeRunbookClient';
import { responseError } from '../__testUtils__/responseError';
import { createTestContext } from '../__testUtils__/testContext';
import { runOperation, RunbookActionOptions } from './runOperation';

const target = {
  entityRef: 'component:default/media-upload',
  request: { action: 'scale' as const, input: { replicas: 5 } },
};

function optionsFor(client: FakeRunbookClient): RunbookActionOptions {
  return {
    clientFor: () => client,
    appBaseUrl: 'http://portal.test',
    pollIntervalMs: 1,
  };
}

describe('runOperation', () => {
  it('starts the run with the task and step as idempotency key, streams its log and outputs links', async () => {
    const client = new FakeRunbookClient([
      {
        status: 'running',
        log: [['info', 'Scaling media-upload from 2 to 5']],
      },
      {
        log: [
          ['info', '3 of 5 replicas ready'],
          ['warn', 'pod media-upload-4 slow to start'],
          ['info', '5 of 5 replicas ready'],
        ],
      },
      { status: 'succeeded', after: { replicas: 5 } },
    ]);
    const { ctx, lines } = createTestContext({});

    await runOperation(ctx, optionsFor(client), target);

    expect(client.started).toEqual([
      {
        entityRef: 'component:default/media-upload',
        request: target.request,
        idempotencyKey: 'task-1:deploy',
        initiator: 'scaffolder',
      },
    ]);
    expect(lines).toEqual([
      'info: Started run run-1: scale on component:default/media-upload',
      'info: Follow the run at http://portal.test/runbook/runs/run-1',
      'info: Scaling media-upload from 2 to 5',
      'info: 3 of 5 replicas ready',
      'warn: pod media-upload-4 slow to start',
      'info: 5 of 5 replicas ready',
      'info: Run run-1 ended succeeded',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('runId', 'run-1');
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith(
      'runUrl',
      'http://portal.test/runbook/runs/run-1',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'auditUrl',
      'http://portal.test/runbook/audit?run=run-1',
    );
    expect(ctx.output).toHaveBeenCalledWith('summary', { replicas: 5 });
  });

  it('fails the step when the run succeeded but its report found the service failing', async () => {
    const client = new FakeRunbookClient([
      {
        status: 'succeeded',
        result: {
          kind: 'diagnostics',
          verdict: 'fail',
          checks: [
            { title: 'Deployment and pods', status: 'ok', evidence: ['2/2'] },
            {
              title: 'Dependency resource:default/nexus-db',
              status: 'fail',
              evidence: ['PostgreSQL: cannot connect: ECONNREFUSED'],
            },
          ],
        },
      },
    ]);
    const { ctx } = createTestContext({});
    await expect(
      runOperation(ctx, optionsFor(client), {
        entityRef: 'component:default/media-upload',
        request: { action: 'diagnostics', input: {} },
      }),
    ).rejects.toThrow(
      'Run run-1 (diagnostics on component:default/media-upload) found problems: Dependency resource:default/nexus-db: PostgreSQL: cannot connect: ECONNREFUSED',
    );
    const passing = new FakeRunbookClient([
      { status: 'succeeded', result: { kind: 'diagnostics', verdict: 'warn' } },
    ]);
    await expect(
      runOperation(createTestContext({}).ctx, optionsFor(passing), {
        entityRef: 'component:default/media-upload',
        request: { action: 'diagnostics', input: {} },
      }),
    ).resolves.toBeUndefined();
  });

  it.each(['failed', 'rolled-back'] as const)(
    'fails the step when the run ends %s, with the reason',
    async status => {
      const client = new FakeRunbookClient([
        { status: 'running' },
        { status, error: 'error rate 12% over 5% during the health window' },
      ]);
      const { ctx, lines } = createTestContext({});

      await expect(
        runOperation(ctx, optionsFor(client), target),
      ).rejects.toThrow(
        `Run run-1 (scale on component:default/media-upload) ended ${status}: error rate 12% over 5% during the health window`,
      );
      expect(lines).toContain(
        'error: Audit entries of the run: http://portal.test/runbook/audit?run=run-1',
      );
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('says by whom a run awaits approval, once per change, and fails the step with a rejection', async () => {
    const waiting = {
      rule: 'production scale',
      required: 2,
      approvers: {
        groups: ['group:default/platform-lead'],
        onCallOf: ['group:default/team-media'],
      },
      expiresAt: '2026-12-01T11:00:00.000Z',
      diff: [],
      diffAt: '2026-12-01T10:00:00.000Z',
      approvals: [],
      initiator: 'scaffolder' as const,
    };
    const oneIn = {
      ...waiting,
      approvals: [
        { actor: 'user:default/zoe', at: waiting.diffAt, comment: 'ok' },
      ],
    };
    const client = new FakeRunbookClient([
      { status: 'awaiting-approval', approval: waiting },
      {},
      { approval: oneIn },
      {
        status: 'rejected',
        error: 'Rejected by user:default/marco: not during the sale',
      },
    ]);
    const { ctx, lines } = createTestContext({});

    await expect(runOperation(ctx, optionsFor(client), target)).rejects.toThrow(
      'Run run-1 (scale on component:default/media-upload) ended rejected: Rejected by user:default/marco: not during the sale',
    );
    expect(lines.filter(l => l.includes('awaiting'))).toEqual([
      'info: Run run-1 is awaiting approval by members of group:default/platform-lead or the on-call of group:default/team-media (2 more needed; rule "production scale"), until 2026-12-01T11:00:00.000Z',
      'info: Run run-1 is awaiting approval by members of group:default/platform-lead or the on-call of group:default/team-media (rule "production scale"), until 2026-12-01T11:00:00.000Z',
    ]);
  });

  it('refuses an invalid input before calling the engine, naming the field', async () => {
    const client = new FakeRunbookClient([]);
    const { ctx } = createTestContext({});

    await expect(
      runOperation(ctx, optionsFor(client), {
        ...target,
        request: { action: 'scale', input: { replicas: 2.5 } },
      }),
    ).rejects.toThrow(
      'Invalid scale request for component:default/media-upload: input.replicas: must be a whole number',
    );
    expect(client.started).toEqual([]);
  });

  it("passes on the engine's refusal with its status and message", async () => {
    const client = new FakeRunbookClient([]);
    client.startError = await responseError(
      409,
      'ConflictError',
      'media-upload is locked by run run-7',
    );
    const { ctx } = createTestContext({});

    await expect(runOperation(ctx, optionsFor(client), target)).rejects.toThrow(
      'Could not start scale on component:default/media-upload: HTTP 409: media-upload is locked by run run-7',
    );
  });

  it('cancels the run when the task is cancelled and fails the step once it has ended', async () => {
    const client = new FakeRunbookClient([
      { status: 'running' },
      { log: [['info', 'rolling out']] },
      { log: [['info', 'never reached']] },
    ]);
    const controller = new AbortController();
    client.onPoll = poll => {
      if (poll === 1) controller.abort();
    };
    const { ctx, lines } = createTestContext({}, { signal: controller.signal });

    await expect(runOperation(ctx, optionsFor(client), target)).rejects.toThrow(
      'Run run-1 (scale on component:default/media-upload) ended cancelled',
    );
    expect(client.cancelled).toEqual(['run-1']);
    expect(lines).toEqual(
      expect.arrayContaining([
        'warn: The task was cancelled: cancelling run run-1',
        'warn: Cancelled: rolled back',
      ]),
    );
  });

  it('does not start a run when the task was cancelled first', async () => {
    const client = new FakeRunbookClient([]);
    const controller = new AbortController();
    controller.abort();
    const { ctx } = createTestContext({}, { signal: controller.signal });

    await expect(runOperation(ctx, optionsFor(client), target)).rejects.toThrow(
      'The task was cancelled before scale started on component:default/media-upload',
    );
    expect(client.started).toEqual([]);
  });

  it('keeps following through a runbook backend restart', async () => {
    const client = new FakeRunbookClient([
      { status: 'running' },
      { status: 'succeeded' },
    ]);
    const unavailable = await responseError(
      503,
      'Error',
      'Service Unavailable',
    );
    client.onPoll = poll => {
      if (poll === 1) throw unavailable;
      if (poll === 2) throw new TypeError('fetch failed');
    };
    const { ctx, lines } = createTestContext({});

    await runOperation(ctx, optionsFor(client), target);

    expect(lines).toEqual(
      expect.arrayContaining([
        'warn: Could not read run run-1 (HTTP 503: Service Unavailable); trying again',
        'warn: Could not read run run-1 (fetch failed); trying again',
        'info: Run run-1 ended succeeded',
      ]),
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
  });

  it('fails the step at once when the run cannot be read for good', async () => {
    const client = new FakeRunbookClient([{ status: 'running' }]);
    const denied = await responseError(403, 'NotAllowedError', 'not allowed');
    client.onPoll = () => {
      throw denied;
    };
    const { ctx } = createTestContext({});

    await expect(runOperation(ctx, optionsFor(client), target)).rejects.toThrow(
      'Could not follow run run-1: HTTP 403: not allowed',
    );
  });

  it('follows the checkpointed run when the task is resumed, without starting another', async () => {
    const client = new FakeRunbookClient([
      { status: 'running', log: [['info', 'before the restart']] },
      { log: [['info', 'after the restart']] },
      { status: 'succeeded' },
    ]);
    let crash = true;
    client.onPoll = () => {
      if (crash) throw new Error('scaffolder restarted');
    };
    const first = createTestContext({});
    await expect(
      runOperation(first.ctx, optionsFor(client), target),
    ).rejects.toThrow('scaffolder restarted');

    crash = false;
    const resumed = createTestContext({}, { checkpoints: first.checkpoints });
    await runOperation(resumed.ctx, optionsFor(client), target);

    expect(client.started).toHaveLength(1);
    expect(resumed.lines[0]).toBe(
      'info: Resuming run run-1: scale on component:default/media-upload was started before the task was resumed',
    );
    expect(resumed.ctx.output).toHaveBeenCalledWith('status', 'succeeded');
  });

  it('gets the first run back when the start is retried before its checkpoint was saved', async () => {
    const client = new FakeRunbookClient([{ status: 'succeeded' }]);
    await runOperation(createTestContext({}).ctx, optionsFor(client), target);
    const retry = createTestContext({});

    await runOperation(retry.ctx, optionsFor(client), target);

    expect(client.started.map(s => s.idempotencyKey)).toEqual([
      'task-1:deploy',
      'task-1:deploy',
    ]);
    expect(retry.lines[0]).toBe(
      'info: Resuming run run-1: scale on component:default/media-upload was already started by this step',
    );
    expect(retry.ctx.output).toHaveBeenCalledWith('runId', 'run-1');
  });

  it('starts one run per item of a step with each', async () => {
    const client = new FakeRunbookClient([{ status: 'succeeded' }]);
    const checkpoints = new Map<string, unknown>();
    for (const key of ['0', '1']) {
      const { ctx } = createTestContext({}, { checkpoints });
      ctx.each = { key, value: 'x' };
      await runOperation(ctx, optionsFor(client), target);
    }

    expect(client.started.map(s => s.idempotencyKey)).toEqual([
      'task-1:deploy[0]',
      'task-1:deploy[1]',
    ]);
  });
});
