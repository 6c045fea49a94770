import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import type { SecurityService } from '../../security/SecurityService';

const serviceName = (ref: { namespace: string; service: string }) =>
  `${ref.namespace}/${ref.service}`;

/**
 * The runbook's "Certificate Management": every certificate from the security sweep that
 * expires within `runbook.security.certificateWarningDays` (warn), or has expired or whose
 * Secret is missing (fail).
 */
export function certificateExpiryCheck(o: {
  security: SecurityService;
}): RunbookMaintenanceCheck {
  return {
    id: 'certificate-expiry',
    title: 'Check certificate expiry',
    period: 'daily',
    async run() {
      const found = (await o.security.expiringCertificates()).map(c => ({
        service: serviceName(c),
        certificate: c.certificate.name,
        status: c.certificate.status,
        ...(c.certificate.notAfter
          ? {
              notAfter: c.certificate.notAfter,
              daysLeft: c.certificate.daysLeft,
            }
          : {}),
      }));
      const broken = found.filter(c => c.status !== 'warning');
      const expiring = found.filter(c => c.status === 'warning');
      let status: 'ok' | 'warn' | 'fail' = 'ok';
      if (expiring.length) status = 'warn';
      if (broken.length) status = 'fail';
      return {
        status,
        summary: found.length
          ? `${broken.length} certificate(s) expired or missing, ${expiring.length} expiring soon`
          : 'No certificate expires soon',
        evidence: { expiredOrMissing: broken, expiring },
      };
    },
  };
}

/**
 * The runbook's weekly "Security patch assessment": images whose scans (trivy-operator or
 * CI uploads) report more CRITICAL vulnerabilities than `runbook.security.criticalVulnerabilities`.
 */
export function criticalVulnerabilitiesCheck(o: {
  security: SecurityService;
}): RunbookMaintenanceCheck {
  return {
    id: 'critical-vulnerabilities',
    title: 'Images with critical vulnerabilities',
    period: 'weekly',
    async run() {
      const images = (await o.security.criticalVulnerabilities()).map(i => ({
        service: serviceName(i),
        image: i.vulnerabilities.image,
        critical: i.vulnerabilities.counts.CRITICAL,
        source: i.vulnerabilities.source,
        scannedAt: i.vulnerabilities.scannedAt,
      }));
      return {
        status: images.length ? 'fail' : 'ok',
        summary: images.length
          ? `${images.length} image(s) with CRITICAL vulnerabilities: ${[
              ...new Set(images.map(i => i.image)),
            ].join(', ')}`
          : 'No image above the CRITICAL threshold',
        evidence: { images },
      };
    },
  };
}
