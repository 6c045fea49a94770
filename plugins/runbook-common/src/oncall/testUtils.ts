import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ONCALL_HANDOVER,
  ANNOTATION_ONCALL_PERIOD,
  ANNOTATION_ONCALL_ROTATION,
  ANNOTATION_ONCALL_START,
  ANNOTATION_ONCALL_TIMEZONE,
} from '../annotations';

/** A Group with a weekly Monday-09:00 Berlin rotation, changed by `annotations` (undefined removes one). */
export function testGroup(
  annotations: Record<string, string | undefined> = {},
  namespace?: string,
): Entity {
  const merged: Record<string, string | undefined> = {
    [ANNOTATION_ONCALL_ROTATION]: 'alice,bob,carol',
    [ANNOTATION_ONCALL_START]: '2026-01-05',
    [ANNOTATION_ONCALL_HANDOVER]: '09:00',
    [ANNOTATION_ONCALL_PERIOD]: 'P1W',
    [ANNOTATION_ONCALL_TIMEZONE]: 'Europe/Berlin',
    ...annotations,
  };
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'team-test',
      ...(namespace ? { namespace } : {}),
      annotations: Object.fromEntries(
        Object.entries(merged).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      ),
    },
    spec: { type: 'team', children: [] },
  };
}
