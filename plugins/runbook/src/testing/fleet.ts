import type { Entity } from '@backstage/catalog-model';
import type {
  FleetChild,
  FleetDryRunResult,
  FleetRun,
} from '@nexus-cos/plugin-runbook-common';
import { TEST_NOW } from './clock';
import { SYSTEM_REF } from './system';

/** Five minutes before the pinned test clock. */
const FIVE_MINUTES_AGO = new Date(TEST_NOW - 5 * 60_000).toISOString();

const ref = (name: string) => `component:default/${name}`;

/** stop-all of the Media System: the transcoder first, then upload and thumbnails, storage last. */
export const STOP_PLAN = [
  { entityRef: ref('media-transcode'), depth: 0 },
  { entityRef: ref('media-thumbnails'), depth: 1 },
  { entityRef: ref('media-upload'), depth: 1 },
  { entityRef: ref('media-storage'), depth: 2 },
];

/** The dry run of that stop-all: thumbnails is already stopped, production needs "media". */
export function stopDryRun(
  changes: Partial<FleetDryRunResult> = {},
): FleetDryRunResult {
  return {
    dryRun: true,
    action: 'stop-all',
    scope: SYSTEM_REF,
    plan: STOP_PLAN,
    children: [
      { entityRef: ref('media-transcode'), status: 'not-started' },
      {
        entityRef: ref('media-thumbnails'),
        status: 'skipped',
        reason: 'already stopped (media-thumbnails: 0 replicas)',
      },
      { entityRef: ref('media-upload'), status: 'not-started' },
      { entityRef: ref('media-storage'), status: 'not-started' },
    ],
    confirmText: 'media',
    ...changes,
  };
}

/** That stop-all as a fleet run, with the services' statuses in plan order. */
export function stopFleet(
  statuses: Array<FleetChild['status']>,
  changes: Partial<FleetRun> = {},
): FleetRun {
  const dry = stopDryRun();
  return {
    id: 'fleet-1',
    action: 'stop-all',
    scope: SYSTEM_REF,
    status: 'running',
    actor: 'user:default/alice',
    gracePeriodSeconds: 60,
    createdAt: FIVE_MINUTES_AGO,
    startedAt: FIVE_MINUTES_AGO,
    plan: STOP_PLAN,
    children: dry.children.map((c, i) => ({
      ...c,
      status: statuses[i],
      ...(['not-started', 'skipped'].includes(statuses[i])
        ? {}
        : { runId: `run-${i}` }),
    })),
    ...changes,
  };
}

/** The Domain with one System. */
export const nexusDomain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name: 'nexus-cos', namespace: 'default' },
  spec: { owner: 'group:default/platform-lead' },
  relations: [{ type: 'hasPart', targetRef: SYSTEM_REF }],
};
