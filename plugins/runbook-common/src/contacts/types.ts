import type { EscalationRole } from '../annotations';
import type { OnCallShift } from '../oncall/types';

/** How to reach one person, from the catalog User. @public */
export type Contact = {
  userRef: string;
  name: string;
  email?: string;
  phone?: string;
  chat?: string;
};

/** One on-call shift with the contact of whoever holds it. @public */
export type OnCallAssignment = { shift: OnCallShift; contact: Contact };

/** A Group's on-call: who now, and the next hand-overs. @public */
export type GroupOnCall = {
  groupRef: string;
  name: string;
  email?: string;
  /** The runbook's emergency-contact role, for escalation Groups. */
  role?: EscalationRole;
  /** Absent when the Group declares no rotation (or it is malformed: see `problem`). */
  now?: OnCallAssignment;
  /** The shifts after `now`, in order. */
  next: OnCallAssignment[];
  /** Why the rotation could not be resolved. */
  problem?: string;
};

/** `GET /entities/E/oncall`. @public */
export type EntityOnCall = {
  entityRef: string;
  at: string;
  /** The owning Group; absent when the entity has no Group owner. */
  owner?: GroupOnCall;
  /** The escalation chain of the entity's Domain, in escalation order. */
  escalationChain: GroupOnCall[];
  /** `catalog`, or the id of the on-call provider that supplied the shifts. */
  source: string;
};

/** `GET /oncall`: every Group with a rotation and who is on call now. @public */
export type OnCallOverview = {
  at: string;
  items: GroupOnCall[];
  source: string;
};
