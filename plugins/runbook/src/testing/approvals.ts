import { ResponseError } from '@backstage/errors';
import type {
  ActiveFreeze,
  FleetRun,
  Incident,
  Run,
  RunApproval,
} from '@nexus-cos/plugin-runbook-common';
import { TEST_NOW } from './clock';
import { fakeRunbookApi, run, SERVICE_REF } from './fakeRunbookApi';
import { stopFleet } from './fleet';
import { incident } from './incidents';

const MINUTE = 60_000;
/** An instant relative to the pinned test clock, so countdowns read the same at any hour. */
const at = (msFromNow: number) => new Date(TEST_NOW + msFromNow).toISOString();

export const LEAD_GROUP = 'group:default/platform-lead';
export const CHECKOUT_REF = 'component:default/checkout';
export const EMERGENCY_INCIDENT_ID = '3f6c1a2e-9b4d-4e8f-a1c2-5d7e9f0b1a2c';

/** The diff the approvers of a scale of media-upload from 3 to 4 replicas see. */
export const scaleDiff = (before = 3, after = 4) => [
  {
    kind: 'Deployment',
    name: 'media-upload',
    namespace: 'nexus-media',
    operation: 'update' as const,
    changes: [{ path: 'spec.replicas', before, after }],
  },
];

/** A platform lead's approval still missing, expiring 30 minutes after the pinned clock. */
export function approval(changes: Partial<RunApproval> = {}): RunApproval {
  return {
    rule: 'production scale',
    required: 1,
    approvers: { groups: [LEAD_GROUP], onCallOf: [] },
    expiresAt: at(30 * MINUTE),
    diff: scaleDiff(),
    diffAt: at(-5 * MINUTE),
    approvals: [],
    initiator: 'person',
    ...changes,
  };
}

/** Alice's scale of media-upload to 4, waiting for a platform lead. */
export function awaitingRun(
  changes: Partial<Run> = {},
  approvalChanges: Partial<RunApproval> = {},
): Run {
  return run({
    id: 'run-wait-1',
    status: 'awaiting-approval',
    reason: 'capacity for the sale',
    createdAt: at(-5 * MINUTE),
    startedAt: undefined,
    approval: approval(approvalChanges),
    ...changes,
  });
}

export const MEDIA_LEAD_GROUP = 'group:default/team-media';

/**
 * Alice's stop-all of the Media System, held by a rule for a platform lead or the media
 * on-call: nothing started yet, the plan is what approvers see (`diff` is empty).
 */
export function awaitingFleet(
  changes: Partial<FleetRun> = {},
  approvalChanges: Partial<RunApproval> = {},
): FleetRun {
  return stopFleet(['not-started', 'skipped', 'not-started', 'not-started'], {
    id: 'fleet-wait-1',
    status: 'awaiting-approval',
    reason: 'storage migration',
    startedAt: undefined,
    approval: approval({
      rule: 'stop-all in production',
      approvers: { groups: [LEAD_GROUP], onCallOf: [MEDIA_LEAD_GROUP] },
      diff: [],
      ...approvalChanges,
    }),
    ...changes,
  });
}

/** The change freeze in force on frozen services in these tests. */
export const yearEndFreeze: ActiveFreeze = {
  name: 'year-end',
  reason: 'payments peak',
  until: '2026-01-30T23:00:00.000Z',
};

/** An open P1 of checkout: the incident an emergency change during the freeze names. */
export const emergencyIncident = (changes: Partial<Incident> = {}) =>
  incident({
    id: EMERGENCY_INCIDENT_ID,
    title: 'Checkout errors',
    severity: 'P1',
    status: 'responding',
    entityRefs: [CHECKOUT_REF],
    ...changes,
  });

/** Bob's emergency restart of checkout during the year-end freeze, for the P1 above. */
export function emergencyRun(changes: Partial<Run> = {}): Run {
  return run({
    id: 'run-emergency-1',
    entityRef: CHECKOUT_REF,
    action: 'restart',
    input: {},
    status: 'awaiting-approval',
    actor: 'user:default/bob',
    reason: 'pods wedged',
    createdAt: at(-2 * MINUTE),
    startedAt: undefined,
    approval: approval({
      rule: 'emergency',
      approvers: {
        groups: ['group:default/team-payments', LEAD_GROUP],
        onCallOf: ['group:default/team-payments'],
      },
      expiresAt: at(58 * MINUTE),
      diff: [
        {
          kind: 'Deployment',
          name: 'checkout',
          namespace: 'nexus-payments',
          operation: 'update',
          changes: [
            {
              path: 'spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt',
              after: at(-2 * MINUTE),
            },
          ],
        },
      ],
      emergency: { incidentId: EMERGENCY_INCIDENT_ID, freeze: 'year-end' },
    }),
    ...changes,
  });
}

/**
 * A RunbookApi whose `GET /approvals` answers `decide` (the runs the user may decide) and
 * `mine` (their own waiting runs), and likewise `decideFleet` and `mineFleet` for fleet
 * runs.
 */
export function approvalsApi(
  lists: {
    decide?: Run[];
    mine?: Run[];
    decideFleet?: FleetRun[];
    mineFleet?: FleetRun[];
  } = {},
  overrides: Parameters<typeof fakeRunbookApi>[0] = {},
) {
  return fakeRunbookApi({
    listApprovals: jest.fn(async (options?: { mine?: boolean }) => ({
      items: (options?.mine ? lists.mine : lists.decide) ?? [],
      fleet: (options?.mine ? lists.mineFleet : lists.decideFleet) ?? [],
    })),
    getIncident: jest.fn(async () => emergencyIncident()),
    ...overrides,
  });
}

/** The error `RunbookClient` throws for a non-2xx answer with the backend's error body. */
export function responseError(
  statusCode: number,
  statusText: string,
  name: string,
  message: string,
): Promise<ResponseError> {
  const text = JSON.stringify({
    error: { name, message },
    request: { method: 'POST', url: '/api/runbook/runs/run-wait-1/approve' },
    response: { statusCode },
  });
  return ResponseError.fromResponse({
    ok: false,
    status: statusCode,
    statusText,
    headers: new Headers({ 'content-type': 'application/json' }),
    redirected: false,
    type: 'basic',
    url: 'http://localhost:7007/api/runbook',
    text: async () => text,
  } as Parameters<typeof ResponseError.fromResponse>[0]);
}

export { MINUTE, at, SERVICE_REF };
