import { Entity } from '@backstage/catalog-model';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { entityServiceOpsCard, runbookApi } from './alpha';
import { runbookApiRef } from './api';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
  spec: { type: 'service' },
});

describe('runbook /alpha', () => {
  it('puts the operations card only on entities with a Kubernetes workload', () => {
    const tester = createExtensionTester(entityServiceOpsCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'backstage.io/kubernetes-id': 'x' }))).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it('provides the runbook client under runbookApiRef', () => {
    const factory = createExtensionTester(runbookApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(runbookApiRef);
  });
});
