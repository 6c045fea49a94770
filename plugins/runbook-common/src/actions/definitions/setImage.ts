import { z } from 'zod';
import { defineAction } from '../definition';
import { checkImage } from '../limits';
import { imageSchema, secondsSchema } from '../parts';
import { imageHint } from './hints';

/** Rolling update: set the image, wait for the rollout, watch, roll back on failure. */
export const setImageAction = defineAction({
  name: 'set-image',
  title: 'Rolling update',
  description:
    'Set the image, wait for the rollout and watch it; roll back on failure.',
  input: z.strictObject({
    image: imageSchema,
    healthWindowSeconds: secondsSchema(3600).optional(),
  }),
  checkLimits: (input, limits) => checkImage(input.image, limits),
  fields: [
    {
      name: 'image',
      label: 'Image',
      type: 'text',
      required: true,
      hint: imageHint,
    },
    {
      name: 'healthWindowSeconds',
      label: 'Health window (seconds)',
      type: 'number',
      hint: limits => `Default ${limits.healthWindowSeconds} s`,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
