import { z } from 'zod';
import { defineAction } from '../definition';
import { objectNameSchema } from '../parts';

/** Lengths a generated secret value may have. @public */
export const GENERATED_SECRET_LENGTH = { min: 16, max: 256 } as const;

/** Longest value a person may supply for `rotate-secret`. @public */
export const MAX_SECRET_VALUE_LENGTH = 4096;

/**
 * Rotate one key of a Secret: a new value (generated, or supplied and staged in the
 * cluster), the Secret updated, its consumers rolled, their health verified, and the
 * previous value and the consumers restored when any of them fails.
 */
export const rotateSecretAction = defineAction({
  name: 'rotate-secret',
  title: 'Rotate secret',
  description:
    'Give one key of a Secret a new value, roll the Deployments that use it and verify them; on failure restore the previous value.',
  input: z
    .strictObject({
      secret: objectNameSchema('Secret'),
      key: z
        .string()
        .min(1, 'must not be empty')
        .max(253, 'must be at most 253 characters')
        .regex(
          /^[-._a-zA-Z0-9]+$/,
          'must be a Secret data key (letters, digits, "-", "_" and ".")',
        ),
      /** The new value; generated when absent. Never stored, logged, audited or echoed. */
      value: z
        .string()
        .min(1, 'must not be empty')
        .max(
          MAX_SECRET_VALUE_LENGTH,
          `must be at most ${MAX_SECRET_VALUE_LENGTH} characters`,
        )
        .optional(),
      /** Length of a generated value; default from config. */
      length: z
        .number()
        .int('must be a whole number')
        .min(
          GENERATED_SECRET_LENGTH.min,
          `must be at least ${GENERATED_SECRET_LENGTH.min}`,
        )
        .max(
          GENERATED_SECRET_LENGTH.max,
          `must be at most ${GENERATED_SECRET_LENGTH.max}`,
        )
        .optional(),
    })
    .refine(i => i.value === undefined || i.length === undefined, {
      message: 'give a value or the length of a generated one, not both',
      path: ['length'],
    }),
  fields: [
    {
      name: 'secret',
      label: 'Secret',
      type: 'text',
      required: true,
      hint: () => 'A Secret that this service uses',
    },
    {
      name: 'key',
      label: 'Key',
      type: 'text',
      required: true,
      hint: () => 'The key whose value changes, e.g. API_KEY',
    },
    {
      name: 'value',
      label: 'New value',
      type: 'text',
      secret: true,
      hint: () => 'Leave empty to generate one',
    },
    {
      name: 'length',
      label: 'Generated length',
      type: 'number',
      hint: () =>
        `${GENERATED_SECRET_LENGTH.min} to ${GENERATED_SECRET_LENGTH.max} characters; default from config`,
      shownWhen: values => !values.value,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'high',
});
