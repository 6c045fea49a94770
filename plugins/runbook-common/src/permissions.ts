import { createPermission } from '@backstage/plugin-permission-common';

/** The catalog's resource type; runbook permissions are scoped to catalog entities. */
export const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Run a runbook action (scale, restart, set-image, blue-green, DR drill, ...) on an entity.
 * @public
 */
export const runbookActionExecutePermission = createPermission({
  name: 'runbook.action.execute',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** See which actions exist and the history of runs. @public */
export const runbookActionReadPermission = createPermission({
  name: 'runbook.action.read',
  attributes: { action: 'read' },
});

/** Declare an incident against an entity. @public */
export const runbookIncidentCreatePermission = createPermission({
  name: 'runbook.incident.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Acknowledge, change phase or severity, add to the timeline, write the post-mortem. @public */
export const runbookIncidentUpdatePermission = createPermission({
  name: 'runbook.incident.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Read incidents. @public */
export const runbookIncidentReadPermission = createPermission({
  name: 'runbook.incident.read',
  attributes: { action: 'read' },
});

/** Read, export and verify the audit trail. @public */
export const runbookAuditReadPermission = createPermission({
  name: 'runbook.audit.read',
  attributes: { action: 'read' },
});

/**
 * Restore a database in place, replacing its data with a backup's. The action needs
 * `runbook.action.execute` too; this one names the step that cannot be taken lightly.
 * @public
 */
export const runbookRestoreInplacePermission = createPermission({
  name: 'runbook.restore.inplace',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Tick a manual routine-maintenance item as done, with a note. @public */
export const runbookMaintenanceCompletePermission = createPermission({
  name: 'runbook.maintenance.complete',
  attributes: { action: 'update' },
});

/**
 * Read an entity's security state: certificates, access, vulnerabilities and
 * configuration findings. @public
 */
export const runbookSecurityReadPermission = createPermission({
  name: 'runbook.security.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Mark an entity's namespace access as reviewed (the `review-access` action). @public */
export const runbookAccessReviewPermission = createPermission({
  name: 'runbook.access.review',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Upload a Trivy image report; the one permission a CI service token needs. @public */
export const runbookVulnerabilityUploadPermission = createPermission({
  name: 'runbook.vulnerability.upload',
  attributes: { action: 'create' },
});

/** Every permission of the runbook plugin. @public */
export const runbookPermissions = [
  runbookActionExecutePermission,
  runbookActionReadPermission,
  runbookIncidentCreatePermission,
  runbookIncidentUpdatePermission,
  runbookIncidentReadPermission,
  runbookAuditReadPermission,
  runbookRestoreInplacePermission,
  runbookMaintenanceCompletePermission,
  runbookSecurityReadPermission,
  runbookAccessReviewPermission,
  runbookVulnerabilityUploadPermission,
];
