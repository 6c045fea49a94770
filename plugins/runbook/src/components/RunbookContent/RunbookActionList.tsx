import { useState } from 'react';
import type {
  FormValues,
  RunbookActionName,
  RunbookResolution,
  RunRequest,
  StartRunResult,
} from '@nexus-cos/plugin-runbook-common';
import { actionFormOf } from './actionForm';
import { ActionFormPanel } from './ActionFormPanel';
import { ConfirmRunDialog } from './ConfirmRunDialog';
import { useIdempotencyKeys } from './useIdempotencyKeys';

type PendingRun = {
  request: RunRequest & { reason?: string };
  idempotencyKey: string;
};

/**
 * The forms of an entity's actions (all, or those named in `only`), each reviewed in a
 * dry run and confirmed before it starts. `presets` fill a form and open it.
 */
export const RunbookActionList = (props: {
  resolution: RunbookResolution;
  only?: readonly RunbookActionName[];
  presets?: Partial<Record<RunbookActionName, FormValues>>;
  /** The action whose form opens at once (`?action=` of the Runbook tab). */
  opened?: string;
  onStarted: (result: StartRunResult) => void;
}) => {
  const { resolution, only, presets, opened, onStarted } = props;
  const { entityRef } = resolution;
  const idempotencyKeys = useIdempotencyKeys();
  const [pending, setPending] = useState<PendingRun>();
  return (
    <>
      {resolution.actions
        .filter(a => !only || only.includes(a.action))
        .map(availability => {
          const preset = presets?.[availability.action];
          return (
            <ActionFormPanel
              // Another preset starts the form afresh.
              key={`${availability.action}-${JSON.stringify(preset ?? {})}`}
              availability={availability}
              form={actionFormOf(availability.action)}
              limits={resolution.limits}
              preset={preset}
              expanded={availability.action === opened}
              onReview={request =>
                setPending({
                  request,
                  idempotencyKey: idempotencyKeys.keyFor(entityRef, request),
                })
              }
            />
          );
        })}
      {pending && (
        <ConfirmRunDialog
          runbook={resolution}
          form={actionFormOf(pending.request.action)}
          request={pending.request}
          idempotencyKey={pending.idempotencyKey}
          onClose={() => setPending(undefined)}
          onStarted={result => {
            idempotencyKeys.settle(entityRef, pending.request);
            setPending(undefined);
            onStarted(result);
          }}
        />
      )}
    </>
  );
};
