import {
  ActionLimits,
  PRE_DEPLOYMENT_CHECKLIST,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';

/** What the user has typed or ticked, keyed by the input path (`requests.cpu`). */
export type FormValues = Record<string, string | boolean | string[]>;

/** One input of an action's form. `name` is the path of the value in the action's input. */
export type FieldSpec = {
  name: string;
  label: string;
  /** `checklist` is a set of tick boxes whose value is the list of ticked `options`. */
  type: 'number' | 'text' | 'boolean' | 'checklist';
  options?: readonly string[];
  required?: boolean;
  initial?: boolean;
  /** The limit that applies, shown under the field before the user types. */
  hint?: (limits: ActionLimits) => string;
  /** Hides the field (and leaves its value out of the input) unless this holds. */
  shownWhen?: (values: FormValues) => boolean;
};

/** The copy and the inputs of one action's form. */
export type ActionForm = {
  title: string;
  description: string;
  fields: FieldSpec[];
};

const replicaRange = (limits: ActionLimits) =>
  `Between ${limits.replicas.min} and ${limits.replicas.max}`;

const imageHint = (limits: ActionLimits) =>
  limits.imageRepository
    ? `${limits.imageRepository}:<tag>`
    : '<repository>:<tag>';

const autoscalingOn = (values: FormValues) => values.enabled === true;

/**
 * The form of each runbook action, in the runbook's words. An action added to -common
 * before it has a form here still shows, through {@link actionFormOf}.
 */
const ACTION_FORMS: Partial<Record<RunbookActionName, ActionForm>> = {
  scale: {
    title: 'Scale',
    description: 'Set the number of replicas of the live Deployment.',
    fields: [
      {
        name: 'replicas',
        label: 'Replicas',
        type: 'number',
        required: true,
        hint: replicaRange,
      },
    ],
  },
  stop: {
    title: 'Stop',
    description: 'Scale to 0, remembering the replica count for Start.',
    fields: [],
  },
  start: {
    title: 'Start',
    description: 'Restore the replica count remembered by Stop.',
    fields: [],
  },
  restart: {
    title: 'Rollout restart',
    description: 'Replace every pod, one by one.',
    fields: [],
  },
  'set-image': {
    title: 'Rolling update',
    description:
      'Set the image, wait for the rollout and watch it; roll back on failure.',
    fields: [
      {
        name: 'image',
        label: 'Image',
        type: 'text',
        required: true,
        hint: imageHint,
      },
      {
        name: 'healthWindowSeconds',
        label: 'Health window (seconds)',
        type: 'number',
        hint: limits => `Default ${limits.healthWindowSeconds} s`,
      },
    ],
  },
  rollback: {
    title: 'Roll back',
    description: 'Restore the pod template of an earlier rollout revision.',
    fields: [
      { name: 'revision', label: 'Revision', type: 'number', required: true },
    ],
  },
  'set-resources': {
    title: 'Vertical scaling',
    description: "Set the container's CPU and memory requests and limits.",
    fields: [
      {
        name: 'requests.cpu',
        label: 'CPU request',
        type: 'text',
        hint: l => `At most ${l.resources.maxCpu}`,
      },
      {
        name: 'requests.memory',
        label: 'Memory request',
        type: 'text',
        hint: l => `At most ${l.resources.maxMemory}`,
      },
      {
        name: 'limits.cpu',
        label: 'CPU limit',
        type: 'text',
        hint: l => `At most ${l.resources.maxCpu}`,
      },
      {
        name: 'limits.memory',
        label: 'Memory limit',
        type: 'text',
        hint: l => `At most ${l.resources.maxMemory}`,
      },
    ],
  },
  'configure-autoscaling': {
    title: 'Autoscaling',
    description:
      'Create or update the HorizontalPodAutoscaler, or remove it when disabled.',
    fields: [
      { name: 'enabled', label: 'Enabled', type: 'boolean', initial: true },
      {
        name: 'minReplicas',
        label: 'Minimum replicas',
        type: 'number',
        required: true,
        hint: replicaRange,
        shownWhen: autoscalingOn,
      },
      {
        name: 'maxReplicas',
        label: 'Maximum replicas',
        type: 'number',
        required: true,
        hint: replicaRange,
        shownWhen: autoscalingOn,
      },
      {
        name: 'targetCPUUtilizationPercentage',
        label: 'Target CPU utilization (%)',
        type: 'number',
        required: true,
        hint: () => 'Between 1 and 100',
        shownWhen: autoscalingOn,
      },
    ],
  },
  'blue-green-deploy': {
    title: 'Blue-green deploy',
    description: "Deploy a new image to the idle colour's Deployment.",
    fields: [
      {
        name: 'image',
        label: 'Image',
        type: 'text',
        required: true,
        hint: imageHint,
      },
    ],
  },
  'blue-green-switch': {
    title: 'Blue-green switch',
    description:
      'Point the Service at the idle colour and watch it; switch back on failure.',
    fields: [
      {
        name: 'monitorSeconds',
        label: 'Watch window (seconds)',
        type: 'number',
        hint: limits => `Default ${limits.blueGreenMonitorSeconds} s`,
      },
    ],
  },
  'blue-green-decommission': {
    title: 'Blue-green decommission',
    description: "Delete the idle colour's Deployment once a switch has held.",
    fields: [],
  },
  checklist: {
    title: 'Pre-deployment checklist',
    description:
      'Record the checklist before a deployment; the engine verifies what it can.',
    fields: [
      {
        name: 'confirmations',
        label: 'I confirm',
        type: 'checklist',
        options: PRE_DEPLOYMENT_CHECKLIST,
      },
      {
        name: 'image',
        label: 'Image to deploy',
        type: 'text',
        hint: limits => `${imageHint(limits)}; staging must already run it`,
      },
      { name: 'changeRequest', label: 'Change request', type: 'text' },
      { name: 'rollbackPlan', label: 'Rollback plan', type: 'text' },
    ],
  },
  'dr-drill': {
    title: 'DR drill',
    description:
      'Back up, restore into a scratch database, verify and drop it again.',
    fields: [
      {
        name: 'scratchDatabase',
        label: 'Scratch database',
        type: 'text',
        hint: () => 'Default <database>_drill_<time>',
      },
    ],
  },
  'delete-pod': {
    title: 'Delete pod',
    description: 'Delete one pod; its Deployment replaces it.',
    fields: [{ name: 'pod', label: 'Pod name', type: 'text', required: true }],
  },
};

/**
 * The form of an action. Without a form of its own an action has no fields: its schema
 * then reports what the input lacks, and the form stays unsubmittable.
 */
export function actionFormOf(action: RunbookActionName): ActionForm {
  return ACTION_FORMS[action] ?? { title: action, description: '', fields: [] };
}

/** The values a fresh form starts with. */
export function initialValues(fields: FieldSpec[]): FormValues {
  const initial = (f: FieldSpec) => {
    if (f.type === 'boolean') return f.initial ?? false;
    return f.type === 'checklist' ? [] : '';
  };
  return Object.fromEntries(fields.map(f => [f.name, initial(f)]));
}

/** Whether the user has entered anything in a field (a ticked box counts). */
export function isFilled(value: FormValues[string]): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== '';
}
