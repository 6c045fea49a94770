import { ImageScan } from '../trivy/imageScans';

const published = (date: string) => `${date}T00:00:00Z`;

/**
 * What trivy-operator finds in some of the repo catalog's images (tag 1.0.0, as seeded);
 * real CVE ids, illustrative package versions. payment-gateway's report lists its
 * critical and some high findings only, so its summary counts exceed the list; the
 * api-gateway image scans clean.
 */
export const IMAGE_SCANS: Record<string, ImageScan> = {
  'nexus-cos/payment-gateway:1.0.0': {
    os: { family: 'debian', name: '12.7' },
    totals: { CRITICAL: 2, HIGH: 5, MEDIUM: 14, LOW: 31, UNKNOWN: 2 },
    vulnerabilities: [
      {
        vulnerabilityID: 'CVE-2024-45337',
        resource: 'golang.org/x/crypto',
        installedVersion: 'v0.26.0',
        fixedVersion: '0.31.0',
        severity: 'CRITICAL',
        title:
          'golang.org/x/crypto/ssh: Misuse of ServerConfig.PublicKeyCallback may cause authorization bypass',
        score: 9.1,
        class: 'lang-pkgs',
        publishedDate: published('2024-12-12'),
        lastModifiedDate: published('2025-02-18'),
      },
      {
        vulnerabilityID: 'CVE-2023-45853',
        resource: 'zlib1g',
        installedVersion: '1:1.2.13.dfsg-1',
        fixedVersion: '',
        severity: 'CRITICAL',
        title:
          'zlib: integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_6',
        score: 9.8,
        publishedDate: published('2023-10-14'),
        lastModifiedDate: published('2024-12-20'),
      },
      {
        vulnerabilityID: 'CVE-2023-44487',
        resource: 'golang.org/x/net',
        installedVersion: 'v0.15.0',
        fixedVersion: '0.17.0',
        severity: 'HIGH',
        title:
          'HTTP/2: Multiple HTTP/2 enabled web servers are vulnerable to a DDoS attack (Rapid Reset Attack)',
        score: 7.5,
        class: 'lang-pkgs',
        publishedDate: published('2023-10-10'),
        lastModifiedDate: published('2025-01-14'),
      },
      {
        vulnerabilityID: 'CVE-2024-2961',
        resource: 'libc6',
        installedVersion: '2.36-9+deb12u4',
        fixedVersion: '2.36-9+deb12u7',
        severity: 'HIGH',
        title:
          'glibc: Out of bounds write in iconv may lead to remote code execution',
        score: 7.3,
        publishedDate: published('2024-04-17'),
        lastModifiedDate: published('2024-11-21'),
      },
      {
        vulnerabilityID: 'CVE-2024-6119',
        resource: 'libssl3',
        installedVersion: '3.0.13-1~deb12u1',
        fixedVersion: '3.0.14-1~deb12u2',
        severity: 'HIGH',
        title: 'openssl: Possible denial of service in X.509 name checks',
        score: 7.5,
        publishedDate: published('2024-09-03'),
        lastModifiedDate: published('2024-11-21'),
      },
    ],
  },
  'nexus-cos/auth-service:1.0.0': {
    os: { family: 'alpine', name: '3.19.1' },
    vulnerabilities: [
      {
        vulnerabilityID: 'CVE-2024-34156',
        resource: 'stdlib',
        installedVersion: 'v1.22.4',
        fixedVersion: '1.22.7, 1.23.1',
        severity: 'HIGH',
        title:
          'encoding/gob: golang: Calling Decoder.Decode on a message which contains deeply nested structures can cause a panic due to stack exhaustion',
        score: 7.5,
        class: 'lang-pkgs',
        publishedDate: published('2024-09-06'),
        lastModifiedDate: published('2024-11-04'),
      },
      {
        vulnerabilityID: 'CVE-2024-24791',
        resource: 'stdlib',
        installedVersion: 'v1.22.4',
        fixedVersion: '1.21.12, 1.22.5',
        severity: 'MEDIUM',
        title:
          'net/http: Denial of service due to improper 100-continue handling in net/http',
        score: 5.9,
        class: 'lang-pkgs',
        publishedDate: published('2024-07-02'),
        lastModifiedDate: published('2024-11-21'),
      },
      {
        vulnerabilityID: 'CVE-2024-5535',
        resource: 'libssl3',
        installedVersion: '3.1.4-r5',
        fixedVersion: '3.1.6-r0',
        severity: 'MEDIUM',
        title: 'openssl: SSL_select_next_proto buffer overread',
        score: 5.9,
        publishedDate: published('2024-06-27'),
        lastModifiedDate: published('2024-11-21'),
      },
    ],
  },
  'nexus-cos/media-transcoder:1.0.0': {
    os: { family: 'debian', name: '12.5' },
    vulnerabilities: [
      {
        vulnerabilityID: 'CVE-2024-3094',
        resource: 'liblzma5',
        installedVersion: '5.6.0-0.2',
        fixedVersion: '5.6.1+really5.4.5-1',
        severity: 'CRITICAL',
        title: 'xz: malicious code in distributed source',
        score: 10,
        publishedDate: published('2024-03-29'),
        lastModifiedDate: published('2025-02-06'),
      },
      {
        vulnerabilityID: 'CVE-2023-38545',
        resource: 'libcurl4',
        installedVersion: '7.88.1-10+deb12u3',
        fixedVersion: '7.88.1-10+deb12u4',
        severity: 'HIGH',
        title: 'curl: heap based buffer overflow in the SOCKS5 proxy handshake',
        score: 9.8,
        publishedDate: published('2023-10-18'),
        lastModifiedDate: published('2024-11-21'),
      },
      {
        vulnerabilityID: 'CVE-2023-50447',
        resource: 'pillow',
        installedVersion: '10.1.0',
        fixedVersion: '10.2.0',
        severity: 'LOW',
        title: 'pillow: Arbitrary Code Execution via the environment parameter',
        class: 'lang-pkgs',
        publishedDate: published('2024-01-19'),
        lastModifiedDate: published('2024-11-21'),
      },
    ],
  },
  'nexus-cos/api-gateway:1.0.0': {
    os: { family: 'alpine', name: '3.20.3' },
    vulnerabilities: [],
  },
};
