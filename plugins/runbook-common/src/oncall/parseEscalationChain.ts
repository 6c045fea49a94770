import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import { ANNOTATION_ESCALATION_CHAIN } from '../annotations';
import { parseAnnotation, toEntityRef } from './annotationValues';

const chainSchema = z
  .string()
  .transform(value => value.split(',').map(step => step.trim()))
  .refine(steps => steps.every(Boolean), {
    message:
      'expected comma-separated Group refs in escalation order, found an empty entry',
  });

/**
 * The escalation chain declared on a Domain, as full Group refs in escalation order; empty
 * when the domain declares none. Throws an Error naming the annotation when a step is not a
 * Group ref.
 * @public
 */
export function parseEscalationChain(domain: Entity): string[] {
  if (
    domain.metadata.annotations?.[ANNOTATION_ESCALATION_CHAIN] === undefined
  ) {
    return [];
  }
  const namespace = domain.metadata.namespace ?? 'default';
  return parseAnnotation(domain, ANNOTATION_ESCALATION_CHAIN, chainSchema).map(
    step =>
      toEntityRef(domain, ANNOTATION_ESCALATION_CHAIN, step, {
        kind: 'group',
        namespace,
      }),
  );
}
