import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  RESOURCE_TYPE_CATALOG_ENTITY,
  runbookPermissions,
  runbookActionExecutePermission,
  runbookAuditReadPermission,
  runbookMaintenanceCompletePermission,
  runbookRestoreInplacePermission,
} from './permissions';

describe('runbook permissions', () => {
  it('have unique names under the runbook namespace', () => {
    const names = runbookPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every(n => n.startsWith('runbook.'))).toBe(true);
  });

  it('scope changes to catalog entities and keep reads basic', () => {
    expect(
      isResourcePermission(
        runbookActionExecutePermission,
        RESOURCE_TYPE_CATALOG_ENTITY,
      ),
    ).toBe(true);
    expect(isResourcePermission(runbookAuditReadPermission)).toBe(false);
  });

  it('scope in-place restores to the database entity and keep the maintenance tick basic', () => {
    expect(
      isResourcePermission(
        runbookRestoreInplacePermission,
        RESOURCE_TYPE_CATALOG_ENTITY,
      ),
    ).toBe(true);
    expect(runbookRestoreInplacePermission.name).toBe(
      'runbook.restore.inplace',
    );
    expect(isResourcePermission(runbookMaintenanceCompletePermission)).toBe(
      false,
    );
    expect(runbookMaintenanceCompletePermission.name).toBe(
      'runbook.maintenance.complete',
    );
  });
});
