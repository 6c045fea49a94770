import {
  computeHash,
  configAuditReportName,
  vulnerabilityReportName,
  workloadMetadata,
} from './reportNames';

describe("trivy-operator's report names", () => {
  it('hashes names as kube.ComputeHash does', () => {
    // From trivy-operator's configauditreport builder test: ClusterRole
    // "system:controller:node-controller" gets the report "clusterrole-6f69bb5b79".
    expect(computeHash('system:controller:node-controller')).toBe('6f69bb5b79');
    expect(
      configAuditReportName('ClusterRole', 'system:controller:node-controller'),
    ).toBe('clusterrole-6f69bb5b79');
  });

  it('names reports after the workload and container while they fit in a label value', () => {
    expect(
      vulnerabilityReportName('ReplicaSet', 'nginx-6d4cf56db6', 'nginx'),
    ).toBe('replicaset-nginx-6d4cf56db6-nginx');
    expect(configAuditReportName('ReplicaSet', 'nginx-6d4cf56db6')).toBe(
      'replicaset-nginx-6d4cf56db6',
    );
    const long = `${'a'.repeat(60)}-6d4cf56db6`;
    expect(vulnerabilityReportName('ReplicaSet', long, 'app')).toBe(
      `replicaset-${computeHash(`${long}-app`)}`,
    );
  });

  it('labels the workload by name, or by name hash with the name as an annotation', () => {
    expect(workloadMetadata('ReplicaSet', 'web-5d4f', 'shop')).toEqual({
      labels: {
        'trivy-operator.resource.kind': 'ReplicaSet',
        'trivy-operator.resource.name': 'web-5d4f',
        'trivy-operator.resource.namespace': 'shop',
      },
      annotations: {},
    });
    const long = `${'b'.repeat(60)}-5d4f`;
    expect(workloadMetadata('ReplicaSet', long, 'shop')).toEqual({
      labels: {
        'trivy-operator.resource.kind': 'ReplicaSet',
        'trivy-operator.resource.name-hash': computeHash(long),
        'trivy-operator.resource.namespace': 'shop',
      },
      annotations: { 'trivy-operator.resource.name': long },
    });
  });
});
