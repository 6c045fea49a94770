/**
 * One interval during which one User is on call for a Group. `start` is inclusive, `end`
 * exclusive; both are ISO instants in the rotation's time zone.
 * @public
 */
export type OnCallShift = {
  /** Full ref of the User on call, e.g. `user:default/alice`. */
  userRef: string;
  groupRef: string;
  start: string;
  end: string;
  source: 'rotation' | 'override';
  /** Why the override exists; only on override shifts that state one. */
  reason?: string;
};

/** An interval in which `userRef` replaces the rotation. @public */
export type OnCallOverride = {
  /** ISO instant with offset, inclusive. */
  start: string;
  /** ISO instant with offset, exclusive. */
  end: string;
  userRef: string;
  reason?: string;
};

/**
 * A Group's rotation as declared by its `nexus-cos.io/oncall-*` annotations, with every
 * user as a full entity ref.
 * @public
 */
export type OnCallRotation = {
  groupRef: string;
  /** Full User refs in rotation order; shift 0 begins at `start`. */
  members: string[];
  /** ISO local date of the first hand-over. */
  start: string;
  /** Local wall-clock hand-over time, `HH:mm`. */
  handover: string;
  /** Length of a shift in calendar days (P1W = 7). */
  periodDays: number;
  /** IANA time zone of `start` and `handover`. */
  timezone: string;
  /** In declaration order; a later override wins where two overlap. */
  overrides: OnCallOverride[];
};
