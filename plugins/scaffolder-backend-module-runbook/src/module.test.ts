import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import module from './index';

describe('scaffolder module runbook', () => {
  it('registers the runbook actions with the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added) => actions.push(...added) },
        ],
      ],
      features: [
        module,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://portal.test' } },
        }),
      ],
    });

    expect(actions.map(a => a.id).sort()).toEqual([
      'runbook:backup',
      'runbook:blue-green:decommission',
      'runbook:blue-green:deploy',
      'runbook:blue-green:switch',
      'runbook:checklist',
      'runbook:config-backup',
      'runbook:config-restore',
      'runbook:configure-autoscaling',
      'runbook:delete-pod',
      'runbook:deploy',
      'runbook:diagnostics',
      'runbook:dr-drill',
      'runbook:pause-rollout',
      'runbook:renew-certificate',
      'runbook:restart',
      'runbook:restore',
      'runbook:resume-rollout',
      'runbook:review-access',
      'runbook:rollback',
      'runbook:rotate-db-password',
      'runbook:rotate-secret',
      'runbook:scale',
      'runbook:set-resources',
      'runbook:start',
      'runbook:stop',
      'runbook:verify-backup',
    ]);
  });
});
