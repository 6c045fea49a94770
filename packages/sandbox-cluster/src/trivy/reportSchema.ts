import { Causes } from '../api/fieldErrors';
import { KubeObject } from '../store/types';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/**
 * The required fields of trivy-operator's report CRD schemas, checked as the apiserver
 * checks a structural schema (422 with one cause per missing field).
 */
export function validateTrivyReport(object: KubeObject, c: Causes) {
  const report = object.report;
  if (!report || typeof report !== 'object') {
    c.required('report');
    return;
  }
  // Missing parents are reported once, not field by field.
  const need = (value: any, fields: string[], at: string) => {
    if (value === undefined || value === null) return;
    for (const f of fields)
      if (value?.[f] === undefined || value?.[f] === null)
        c.required(`${at}.${f}`);
  };
  const counts = ['criticalCount', 'highCount', 'lowCount', 'mediumCount'];
  if (object.kind === 'VulnerabilityReport') {
    need(
      report,
      [
        'artifact',
        'os',
        'scanner',
        'summary',
        'updateTimestamp',
        'vulnerabilities',
      ],
      'report',
    );
    need(report.summary, [...counts, 'unknownCount'], 'report.summary');
    (Array.isArray(report.vulnerabilities)
      ? report.vulnerabilities
      : []
    ).forEach((v: any, i: number) => {
      const at = `report.vulnerabilities[${i}]`;
      need(
        v,
        [
          'fixedVersion',
          'installedVersion',
          'lastModifiedDate',
          'publishedDate',
          'resource',
          'severity',
          'title',
          'vulnerabilityID',
        ],
        at,
      );
      if (v?.severity !== undefined && !SEVERITIES.includes(v.severity))
        c.unsupported(`${at}.severity`, v.severity, SEVERITIES);
    });
  } else {
    need(report, ['checks'], 'report');
    need(report.summary, counts, 'report.summary');
  }
  need(report.scanner, ['name', 'vendor', 'version'], 'report.scanner');
}
