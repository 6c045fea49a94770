import { z } from 'zod';
import { defineAction } from '../definition';
import { objectNameSchema } from '../parts';

/** `cmctl renew`: re-issue a cert-manager Certificate now and wait for the new one. */
export const renewCertificateAction = defineAction({
  name: 'renew-certificate',
  title: 'Renew certificate',
  description:
    'Re-issue a cert-manager Certificate now, as cmctl renew does, and wait until its Secret holds a certificate that expires later.',
  input: z.strictObject({ certificate: objectNameSchema('Certificate') }),
  fields: [
    {
      name: 'certificate',
      label: 'Certificate',
      type: 'text',
      required: true,
      hint: () => 'A cert-manager Certificate of this service',
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
