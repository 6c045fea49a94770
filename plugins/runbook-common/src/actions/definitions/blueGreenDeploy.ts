import { z } from 'zod';
import { defineAction } from '../definition';
import { checkImage } from '../limits';
import { imageSchema } from '../parts';
import { imageHint } from './hints';

/** Create or update the idle colour's Deployment with a new image. */
export const blueGreenDeployAction = defineAction({
  name: 'blue-green-deploy',
  title: 'Blue-green deploy',
  description: "Deploy a new image to the idle colour's Deployment.",
  input: z.strictObject({ image: imageSchema }),
  checkLimits: (input, limits) => checkImage(input.image, limits),
  fields: [
    {
      name: 'image',
      label: 'Image',
      type: 'text',
      required: true,
      hint: imageHint,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
  family: 'blue-green',
});
