import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  MAX_APPROVAL_COMMENT_LENGTH,
  approvalDecisionRequestSchema,
} from '@nexus-cos/plugin-runbook-common';
import { serverMessage } from './serverMessage';

/** Approve or reject. */
export type Decision = 'approve' | 'reject';

/** What a decision on a run does, said in its dialog. */
export const RUN_DECISION_EXPLANATION: Record<Decision, string> = {
  approve:
    'Your name, the time and your comment are kept with the run and in the audit trail. With enough approvals the change starts at once; if the live state changed since the diff was taken, you will be shown the new diff to approve again.',
  reject:
    'The run ends rejected, with your comment as the reason; nothing changes. Your name, the time and the comment go on the audit trail.',
};

/**
 * What is decided on: `what` names it in the dialog's title ("scale on media-upload"),
 * `decide` sends the decision with its comment, `explanation` says what each decision does.
 */
export type DecisionSubject<T> = {
  what: string;
  decide: (decision: Decision, comment: string) => Promise<T>;
  explanation: Record<Decision, string>;
};

/**
 * Approves or rejects something awaiting approval (a run, a fleet run), with the comment
 * the engine requires, checked as the user types by the engine's own schema. A refusal
 * (four eyes, a changed diff, a held lock) keeps the dialog and the comment, with the
 * server's words; `onFailed` lets the page read the request again behind it.
 */
export const DecisionDialog = <T,>(props: {
  subject: DecisionSubject<T>;
  decision: Decision;
  onClose: () => void;
  onDecided: (decided: T) => void;
  onFailed?: (error: Error) => void;
}) => {
  const { subject, decision, onClose, onDecided, onFailed } = props;
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error>();
  const parsed = approvalDecisionRequestSchema.safeParse({ comment });
  const problem = parsed.success ? undefined : parsed.error.issues[0].message;
  const verb = decision === 'approve' ? 'Approve' : 'Reject';
  const title = `${verb} ${subject.what}`;

  const send = async () => {
    if (!parsed.success) return;
    setSending(true);
    setError(undefined);
    try {
      onDecided(await subject.decide(decision, parsed.data.comment));
    } catch (e) {
      setError(e as Error);
      setSending(false);
      onFailed?.(e as Error);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="runbook-decision-title"
      fullWidth
    >
      <DialogTitle id="runbook-decision-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{subject.explanation[decision]}</DialogContentText>
        <TextField
          id="runbook-decision-comment"
          label="Comment"
          value={comment}
          onChange={e => setComment(e.target.value)}
          error={comment.length > 0 && Boolean(problem)}
          helperText={
            comment.length > 0 && problem
              ? problem
              : `Required: why you ${decision} (${comment.length}/${MAX_APPROVAL_COMMENT_LENGTH})`
          }
          multiline
          minRows={3}
          required
          fullWidth
          margin="normal"
        />
        {error && (
          <Alert severity="error" role="alert">
            {serverMessage(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color={decision === 'approve' ? 'primary' : 'secondary'}
          variant="contained"
          onClick={send}
          disabled={Boolean(problem) || sending}
        >
          {verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
