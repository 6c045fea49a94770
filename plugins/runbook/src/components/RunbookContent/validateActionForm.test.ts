import type {
  ActionLimits,
  FormValues,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import { actionFormOf, initialValues } from './actionForm';
import { validateActionForm } from './validateActionForm';

const limits: ActionLimits = {
  replicas: { min: 2, max: 10 },
  imageRepository: 'nexus-cos/media-upload',
  resources: { maxCpu: '2', maxMemory: '4Gi' },
  rolloutTimeoutSeconds: 300,
  healthWindowSeconds: 60,
  blueGreenMonitorSeconds: 120,
};

const check = (action: RunbookActionName, values: FormValues) => {
  const { fields } = actionFormOf(action);
  return validateActionForm(
    action,
    fields,
    { ...initialValues(fields), ...values },
    limits,
  );
};

describe('validateActionForm', () => {
  it('keeps scale within the replica range', () => {
    expect(check('scale', { replicas: '12' }).fieldErrors).toEqual({
      replicas: 'replicas must be between 2 and 10, got 12',
    });
    expect(check('scale', { replicas: '4' }).request).toEqual({
      action: 'scale',
      input: { replicas: 4 },
    });
  });

  it('names the field in schema messages', () => {
    expect(check('scale', { replicas: '2.5' }).fieldErrors.replicas).toBe(
      'replicas must be a whole number',
    );
  });

  it('keeps images in the allowed repository', () => {
    expect(
      check('set-image', { image: 'evil/media-upload:1.0' }).fieldErrors.image,
    ).toBe(
      'image must come from the repository "nexus-cos/media-upload", not "evil/media-upload"',
    );
    expect(
      check('blue-green-deploy', { image: 'nexus-cos/media-upload:2.0' })
        .request,
    ).toEqual({
      action: 'blue-green-deploy',
      input: { image: 'nexus-cos/media-upload:2.0' },
    });
  });

  it('keeps resources under the ceilings', () => {
    const result = check('set-resources', {
      'requests.cpu': '500m',
      'limits.cpu': '3',
      'limits.memory': '8Gi',
    });
    expect(result.fieldErrors).toEqual({
      'limits.cpu': 'limits.cpu must be at most 2, got 3',
      'limits.memory': 'limits.memory must be at most 4Gi, got 8Gi',
    });
    expect(result.request).toBeUndefined();
  });

  it('asks for requests or limits as a whole-form message', () => {
    expect(check('set-resources', {}).formErrors).toEqual([
      'input must set requests or limits',
    ]);
  });

  it('keeps the autoscaler bounds in range and ordered, and drops them when disabled', () => {
    const result = check('configure-autoscaling', {
      minReplicas: '8',
      maxReplicas: '4',
      targetCPUUtilizationPercentage: '70',
    });
    expect(result.fieldErrors.minReplicas).toBe(
      'minReplicas (8) must not exceed maxReplicas (4)',
    );
    expect(
      check('configure-autoscaling', {
        enabled: false,
        minReplicas: '8',
      }).request,
    ).toEqual({ action: 'configure-autoscaling', input: { enabled: false } });
  });

  it('accepts actions without inputs as they are', () => {
    expect(check('restart', {}).request).toEqual({
      action: 'restart',
      input: {},
    });
  });

  it('sends the ticked checklist items and checks the image', () => {
    expect(
      check('checklist', {
        confirmations: ['notify-stakeholders', 'review-change-request'],
        changeRequest: 'CHG-1042',
      }).request,
    ).toEqual({
      action: 'checklist',
      input: {
        confirmations: ['notify-stakeholders', 'review-change-request'],
        changeRequest: 'CHG-1042',
      },
    });
    expect(
      check('checklist', { confirmations: [], image: 'nexus-cos/x' })
        .fieldErrors.image,
    ).toBe('image must name a tag or digest, for example ":1.2.3"');
  });

  it('names the field when a DR drill scratch database is invalid', () => {
    expect(
      check('dr-drill', { scratchDatabase: 'Drill-1' }).fieldErrors
        .scratchDatabase,
    ).toBe(
      'scratchDatabase must be a database name of lower-case letters, digits and "_", at most 63 characters',
    );
  });

  it('gives an action without a form of its own its name and no fields', () => {
    const form = actionFormOf('future-action' as RunbookActionName);
    expect(form).toEqual({
      title: 'future-action',
      description: '',
      fields: [],
    });
  });
});
