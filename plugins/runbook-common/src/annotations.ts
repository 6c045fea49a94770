/**
 * Annotation keys of the Nexus COS catalog. `catalog/README.md` documents each format.
 * Backstage's own Kubernetes annotations are reused where they exist.
 */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/**
 * The one cluster an entity runs in, by its name in Backstage's `kubernetes` config, as
 * the stock Kubernetes plugin's single-tenant locator reads it. Without it, an entity
 * runs in every configured cluster.
 */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
export const ANNOTATION_STAGING_NAMESPACE = 'nexus-cos.io/staging-namespace';
export const ANNOTATION_TIER = 'nexus-cos.io/tier';
export const ANNOTATION_PROMETHEUS_JOB = 'nexus-cos.io/prometheus-job';
export const ANNOTATION_REPLICAS = 'nexus-cos.io/replicas';
export const ANNOTATION_IMAGE_REPOSITORY = 'nexus-cos.io/image-repository';
export const ANNOTATION_RUNBOOK_ACTIONS = 'nexus-cos.io/runbook-actions';
export const ANNOTATION_DR_TARGET = 'nexus-cos.io/dr-target';
/** Overrides of the analysis thresholds: `errorRatio=0.02,latencyP95Seconds=0.4,baselineFactor=2`. */
export const ANNOTATION_ANALYSIS = 'nexus-cos.io/analysis';

export const ANNOTATION_ONCALL_ROTATION = 'nexus-cos.io/oncall-rotation';
export const ANNOTATION_ONCALL_HANDOVER = 'nexus-cos.io/oncall-handover';
export const ANNOTATION_ONCALL_PERIOD = 'nexus-cos.io/oncall-period';
export const ANNOTATION_ONCALL_TIMEZONE = 'nexus-cos.io/oncall-timezone';
export const ANNOTATION_ONCALL_START = 'nexus-cos.io/oncall-start';
export const ANNOTATION_ONCALL_OVERRIDES = 'nexus-cos.io/oncall-overrides';
export const ANNOTATION_ESCALATION_ROLE = 'nexus-cos.io/escalation-role';
export const ANNOTATION_ESCALATION_CHAIN = 'nexus-cos.io/escalation-chain';

export const ANNOTATION_PHONE = 'nexus-cos.io/phone';
export const ANNOTATION_CHAT = 'nexus-cos.io/chat';

/** The escalation roles of the runbook's "Emergency Contacts", in escalation order. */
export const ESCALATION_ROLES = [
  'platform-lead',
  'devops',
  'database-admin',
  'security',
  'management',
] as const;
export type EscalationRole = (typeof ESCALATION_ROLES)[number];
