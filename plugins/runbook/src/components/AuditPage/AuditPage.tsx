import { useState } from 'react';
import { Content, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import type { AuditFilter } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { useSearchParams } from 'react-router-dom';
import { AuditFilters, LINKABLE_FILTERS } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { AuditVerifyStatus } from './AuditVerifyStatus';
import { downloadText } from './downloadText';

const AUDIT_PAGE_SIZE = 50;

const EXPORTS = {
  jsonl: {
    label: 'Export JSON',
    file: 'runbook-audit.jsonl',
    type: 'application/x-ndjson',
  },
  csv: { label: 'Export CSV', file: 'runbook-audit.csv', type: 'text/csv' },
} as const;

/**
 * The audit trail: filter it, page through it with the server's cursors, export what the
 * filter selects, and see whether the hash chain verifies.
 */
export const AuditPage = () => {
  const api = useApi(runbookApiRef);
  const [searchParams] = useSearchParams();
  // Links (the scaffolder's "audit entries", for one) open the page filtered.
  const [filter, setFilter] = useState<AuditFilter>(() =>
    Object.fromEntries(
      LINKABLE_FILTERS.flatMap(key => {
        const value = searchParams.get(key);
        return value ? [[key, value]] : [];
      }),
    ),
  );
  // Cursors of the pages visited so far; the last one is the page shown.
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoader(
    // Newest first, as people read a log; export and verification keep chain order.
    () =>
      api.listAudit({
        ...filter,
        cursor,
        limit: AUDIT_PAGE_SIZE,
        order: 'desc',
      }),
    [api, filter, cursor],
  );
  const [exportError, setExportError] = useState<Error>();
  const nextCursor = page.value?.nextCursor;

  const exportAs = async (format: keyof typeof EXPORTS) => {
    setExportError(undefined);
    try {
      const text = await api.exportAudit(format, filter);
      downloadText(text, EXPORTS[format].file, EXPORTS[format].type);
    } catch (error) {
      setExportError(error as Error);
    }
  };

  return (
    <Content>
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="center"
        mb={2}
      >
        <AuditVerifyStatus />
        <Box>
          {(Object.keys(EXPORTS) as Array<keyof typeof EXPORTS>).map(format => (
            <Button key={format} onClick={() => exportAs(format)}>
              {EXPORTS[format].label}
            </Button>
          ))}
        </Box>
      </Box>
      {exportError && <ResponseErrorPanel error={exportError} />}
      <AuditFilters
        initial={filter}
        onApply={next => {
          setFilter(next);
          setCursors([undefined]);
        }}
      />
      {page.error ? (
        <ResponseErrorPanel error={page.error} />
      ) : (
        <AuditTable
          records={page.value?.items}
          loading={page.loading}
          filtered={Object.keys(filter).length > 0}
        />
      )}
      <Box display="flex" justifyContent="flex-end" mt={1}>
        <Button
          disabled={cursors.length === 1}
          onClick={() => setCursors(c => c.slice(0, -1))}
        >
          Previous page
        </Button>
        <Button
          disabled={!nextCursor || page.loading}
          onClick={() => setCursors(c => [...c, nextCursor])}
        >
          Next page
        </Button>
      </Box>
    </Content>
  );
};
