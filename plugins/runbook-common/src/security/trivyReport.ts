import { z } from 'zod';
import { VULNERABILITY_SEVERITIES } from './types';

const text = (max: number) =>
  z.string().max(max, `must be at most ${max} characters`);

/** One of Trivy's `DetectedVulnerability` entries: the fields the portal reads. */
const trivyVulnerabilitySchema = z.looseObject({
  VulnerabilityID: text(200).min(1, 'must not be empty'),
  PkgName: text(1000).optional(),
  InstalledVersion: text(1000).optional(),
  FixedVersion: text(1000).optional(),
  Severity: z.enum(VULNERABILITY_SEVERITIES, {
    error: `must be one of ${VULNERABILITY_SEVERITIES.join(', ')}`,
  }),
  Title: text(10_000).optional(),
  PrimaryURL: text(2000).optional(),
});

/**
 * A report as `trivy image -f json` writes it (schema version 2): `ArtifactName`, and
 * `Results[]` whose `Vulnerabilities[]` carry `VulnerabilityID`, `PkgName`,
 * `InstalledVersion`, `FixedVersion`, `Severity`, `Title` and `PrimaryURL`. Other
 * fields are allowed and ignored.
 * @public
 */
export const trivyReportSchema = z.looseObject({
  SchemaVersion: z.literal(2, {
    error: 'must be 2 (the format of trivy image -f json)',
  }),
  ArtifactName: text(512).optional(),
  ArtifactType: text(100).optional(),
  CreatedAt: z.iso
    .datetime({ offset: true, error: 'must be an RFC 3339 time' })
    .optional(),
  Results: z
    .array(
      z.looseObject({
        Target: text(4096),
        Class: text(100).optional(),
        Vulnerabilities: z.array(trivyVulnerabilitySchema).nullish(),
      }),
    )
    .nullish(),
});

/** @public */
export type TrivyReport = z.infer<typeof trivyReportSchema>;
