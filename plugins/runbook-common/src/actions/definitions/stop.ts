import { z } from 'zod';
import { defineAction } from '../definition';
import { secondsSchema } from '../parts';

/** Longest grace period a stop may give its pods: an hour, far past any real shutdown. */
export const MAX_GRACE_PERIOD_SECONDS = 3600;

/**
 * How long each pod gets between SIGTERM and SIGKILL, as `kubectl delete --grace-period`
 * gives it. Absent: each pod's own `terminationGracePeriodSeconds`.
 * @public
 */
export const gracePeriodSchema = secondsSchema(MAX_GRACE_PERIOD_SECONDS);

/** Scale to 0, remembering the count for `start`; never a delete of the Deployment. */
export const stopAction = defineAction({
  name: 'stop',
  title: 'Stop',
  description:
    'Scale to 0, remembering the replica count for Start. A grace period gives each pod that long to shut down.',
  input: z.strictObject({ gracePeriodSeconds: gracePeriodSchema.optional() }),
  fields: [
    {
      name: 'gracePeriodSeconds',
      label: 'Grace period (seconds)',
      type: 'number',
      hint: () =>
        `Optional, 0 to ${MAX_GRACE_PERIOD_SECONDS}; default: each pod's terminationGracePeriodSeconds`,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'high',
});
