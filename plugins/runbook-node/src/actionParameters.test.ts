import { z } from 'zod/v3';
import zodToJsonSchema from 'zod-to-json-schema';
import { RUNBOOK_ACTIONS } from '@nexus-cos/plugin-runbook-common';
import {
  actionInputJsonSchema,
  actionParametersSchema,
} from './actionParameters';

const extra = { entityRef: z.string() };

describe('actionParametersSchema', () => {
  it('describes every action to zod v3 tools as one object', () => {
    for (const action of RUNBOOK_ACTIONS) {
      const json = zodToJsonSchema(actionParametersSchema(action, extra)) as {
        type: string;
        properties: Record<string, unknown>;
        required: string[];
      };
      expect(json.type).toBe('object');
      expect(json.required).toContain('entityRef');
    }
  });

  it('keeps the fields, their limits and their labels', () => {
    const json = zodToJsonSchema(actionParametersSchema('scale', extra)) as any;
    expect(json.properties.replicas).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: 1000,
      description: 'Replicas',
    });
    expect(json.required).toEqual(['replicas', 'entityRef']);
    expect(json.additionalProperties).toBe(false);
  });

  it('checks inputs as a first pass', () => {
    const scale = actionParametersSchema('scale', extra);
    expect(scale.safeParse({ entityRef: 'x', replicas: 3 }).success).toBe(true);
    expect(scale.safeParse({ entityRef: 'x', replicas: 2.5 }).success).toBe(
      false,
    );
    expect(scale.safeParse({ entityRef: 'x' }).success).toBe(false);
    const image = actionParametersSchema('set-image', extra);
    expect(
      image.safeParse({ entityRef: 'x', image: 'nexus-cos/a:1;rm -rf /' })
        .success,
    ).toBe(false);
    expect(
      image.safeParse({ entityRef: 'x', image: 'nexus-cos/a:1.2' }).success,
    ).toBe(true);
  });

  it('merges alternative inputs into one object with optional fields', () => {
    const json = actionInputJsonSchema('configure-autoscaling');
    expect(json.required).toEqual(['enabled']);
    expect(json.properties?.enabled).toEqual({
      type: 'boolean',
      description: 'Enabled',
    });
    const schema = actionParametersSchema('configure-autoscaling', extra);
    expect(schema.safeParse({ entityRef: 'x', enabled: false }).success).toBe(
      true,
    );
    expect(
      schema.safeParse({
        entityRef: 'x',
        enabled: true,
        minReplicas: 2,
        maxReplicas: 4,
        targetCPUUtilizationPercentage: 70,
      }).success,
    ).toBe(true);
  });

  it('keeps nested objects and lists', () => {
    const resources = actionParametersSchema('set-resources', extra);
    expect(
      resources.safeParse({ entityRef: 'x', limits: { cpu: 'lots' } }).success,
    ).toBe(false);
    expect(
      resources.safeParse({ entityRef: 'x', limits: { cpu: '500m' } }).success,
    ).toBe(true);
    const checklist = actionParametersSchema('checklist', extra);
    expect(
      checklist.safeParse({ entityRef: 'x', confirmations: ['skip-tests'] })
        .success,
    ).toBe(false);
  });
});
