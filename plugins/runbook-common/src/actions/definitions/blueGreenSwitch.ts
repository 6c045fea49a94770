import { z } from 'zod';
import { defineAction } from '../definition';
import { secondsSchema } from '../parts';

/** Point the Service at the idle colour, watch it, switch back on failure. */
export const blueGreenSwitchAction = defineAction({
  name: 'blue-green-switch',
  title: 'Blue-green switch',
  description:
    'Point the Service at the idle colour and watch it; switch back on failure.',
  input: z.strictObject({ monitorSeconds: secondsSchema(3600).optional() }),
  fields: [
    {
      name: 'monitorSeconds',
      label: 'Watch window (seconds)',
      type: 'number',
      hint: limits => `Default ${limits.blueGreenMonitorSeconds} s`,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'high',
  family: 'blue-green',
});
