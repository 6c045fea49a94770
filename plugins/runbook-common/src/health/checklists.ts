import type { ResponseChecklist } from './types';

/** Where a checklist's commands point. */
type Target = { namespace: string; service: string };

/**
 * The runbook's "Alert Response" and "Troubleshooting Guide" sections as structured steps,
 * with commands filled in for one service.
 * @public
 */
export const RESPONSE_CHECKLISTS = {
  highErrorRate: ({ namespace, service }: Target): ResponseChecklist => ({
    title: 'High Error Rate',
    steps: [
      {
        title: 'Check service logs',
        command: `kubectl logs -n ${namespace} deployment/${service}`,
      },
      { title: 'Check dependencies (database, Redis, etc.)' },
      {
        title: 'Review recent deployments',
        command: `kubectl rollout history deployment/${service} -n ${namespace}`,
      },
      { title: 'Scale up if needed' },
      { title: 'Escalate if unresolved in 15 minutes' },
    ],
  }),
  highLatency: (_: Target): ResponseChecklist => ({
    title: 'High Latency',
    steps: [
      { title: 'Check resource utilization' },
      { title: 'Review database query performance' },
      { title: 'Check external API response times' },
      { title: 'Scale horizontally if needed' },
      { title: 'Enable caching if not already enabled' },
    ],
  }),
  serviceDown: ({ namespace, service }: Target): ResponseChecklist => ({
    title: 'Service Down',
    steps: [
      {
        title: 'Check pod status',
        command: `kubectl get pods -n ${namespace} -l app=${service}`,
      },
      {
        title: 'Review pod logs',
        command: `kubectl logs -n ${namespace} -l app=${service} --tail=100`,
      },
      { title: 'Check resource limits' },
      { title: 'Restart pod if needed' },
      { title: 'Review health check configuration' },
    ],
  }),
  podsNotStarting: ({ namespace, service }: Target): ResponseChecklist => ({
    title: 'Pods Not Starting',
    steps: [
      {
        title: 'Check pod status',
        command: `kubectl describe pods -n ${namespace} -l app=${service}`,
      },
      { title: 'Look for image pull errors' },
      { title: 'Check resource limits' },
      { title: 'Check for a missing config or secret' },
      { title: 'Check whether the health check is failing' },
    ],
  }),
  databaseConnectionIssues: ({
    namespace,
    service,
  }: Target): ResponseChecklist => ({
    title: 'Database Connection Issues',
    steps: [
      {
        title: 'Test connectivity',
        command: `kubectl run -i --tty --rm debug --image=postgres --restart=Never -- psql -h <db-host> -U <user> -d <database>`,
      },
      {
        title: 'Check the connection pool',
        command: `kubectl logs -n ${namespace} deployment/${service} | grep "connection pool"`,
      },
      { title: 'Check connections in use against max_connections' },
      {
        title: 'Scale down clients or raise the pool limit if it is exhausted',
      },
    ],
  }),
  highMemoryUsage: ({ namespace, service }: Target): ResponseChecklist => ({
    title: 'High Memory Usage',
    steps: [
      {
        title: 'Check memory usage',
        command: `kubectl top pods -n ${namespace} -l app=${service}`,
      },
      { title: 'Check for memory leaks' },
      { title: 'Restart pod if needed' },
    ],
  }),
  certificateExpiring: ({ namespace }: Target): ResponseChecklist => ({
    title: 'Certificate Expiring',
    steps: [
      {
        title: 'Check certificate expiry',
        command: `kubectl get certificates -n ${namespace}`,
      },
      { title: 'Renew it (the Security tab, or cmctl renew)' },
      { title: 'Verify TLS: key, chain and the Ingress hosts' },
    ],
  }),
  criticalVulnerabilities: ({ namespace }: Target): ResponseChecklist => ({
    title: 'Critical Vulnerabilities',
    steps: [
      {
        title: 'Review the vulnerability reports',
        command: `kubectl get vulnerabilityreports -n ${namespace} -o wide`,
      },
      { title: 'Update the packages that have a fixed version' },
      { title: 'Roll out the rebuilt image (rolling update)' },
    ],
  }),
};
