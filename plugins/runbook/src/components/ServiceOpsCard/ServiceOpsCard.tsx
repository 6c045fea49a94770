import {
  ANNOTATION_IMAGE_REPOSITORY,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_REPLICAS,
  ANNOTATION_STAGING_NAMESPACE,
  ANNOTATION_TIER,
} from '@nexus-cos/plugin-runbook-common';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';

const NOT_SET = 'not set';

/**
 * Where and how the service runs, as declared in the catalog: the facts an operator
 * needs before touching it (workload, namespaces, tier, replica range, image source).
 */
export const ServiceOpsCard = () => {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const lifecycle = String(entity.spec?.lifecycle ?? NOT_SET);
  const metadata = {
    Workload: annotations[ANNOTATION_KUBERNETES_ID] ?? NOT_SET,
    Namespace: annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? NOT_SET,
    'Staging namespace': annotations[ANNOTATION_STAGING_NAMESPACE] ?? NOT_SET,
    Tier: annotations[ANNOTATION_TIER] ?? NOT_SET,
    Replicas: annotations[ANNOTATION_REPLICAS] ?? NOT_SET,
    'Image repository': annotations[ANNOTATION_IMAGE_REPOSITORY] ?? NOT_SET,
    Lifecycle:
      lifecycle === 'production'
        ? 'production (changes need typed confirmation)'
        : lifecycle,
  };
  return (
    <InfoCard title="Operations">
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
};
