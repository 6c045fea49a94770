import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import type { ApproverSet } from '@nexus-cos/plugin-runbook-common';
import type { CatalogContacts } from '../oncall/CatalogContacts';

/**
 * Whether a person may decide: a member of one of the groups (by the catalog's memberOf
 * relations), or whoever is on call for one of the rotations at `at`.
 */
export async function mayDecide(
  contacts: CatalogContacts,
  userRef: string,
  approvers: ApproverSet,
  at: Date,
): Promise<boolean> {
  const user = await contacts.entity(userRef);
  const groups = new Set(
    (user?.relations ?? [])
      .filter(r => r.type === RELATION_MEMBER_OF)
      .map(r => r.targetRef.toLocaleLowerCase('en-US')),
  );
  if (approvers.groups.some(g => groups.has(g.toLocaleLowerCase('en-US'))))
    return true;
  for (const group of approvers.onCallOf) {
    const shift = await contacts.onCall(group, at).catch(() => undefined);
    if (
      shift?.userRef.toLocaleLowerCase('en-US') ===
      userRef.toLocaleLowerCase('en-US')
    )
      return true;
  }
  return false;
}
