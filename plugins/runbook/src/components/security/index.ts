export { SeverityLabel } from './SeverityLabel';
export { CertificateStatusLabel } from './CertificateStatusLabel';
export { VulnerabilityCountsLine } from './VulnerabilityCountsLine';
