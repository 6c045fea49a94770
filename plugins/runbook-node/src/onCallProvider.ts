import type { Entity } from '@backstage/catalog-model';
import type { OnCallShift } from '@nexus-cos/plugin-runbook-common';

/**
 * Supplies on-call shifts from an external scheduler (PagerDuty, Opsgenie, ...) instead of
 * the catalog's `nexus-cos.io/oncall-*` annotations.
 * @public
 */
export interface RunbookOnCallProvider {
  /** Names the provider in answers and logs. */
  readonly id: string;
  /**
   * `count` consecutive shifts of `group`, the first containing `from`; undefined when the
   * provider does not schedule this group (the catalog rotation applies then).
   */
  getShifts(
    group: Entity,
    from: Date,
    count: number,
  ): Promise<OnCallShift[] | undefined>;
}
