import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { runbookApiRef } from '../../api';
import { yearEndFreeze } from '../../testing/approvals';
import { fakeRunbookApi, resolution } from '../../testing/fakeRunbookApi';
import { RunbookEntityPicker } from './RunbookEntityPicker';

const service = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    title,
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-media' },
});

const catalogApi = catalogApiMock({
  entities: [
    service('media-upload', 'Media Upload'),
    service('checkout', 'Checkout'),
    // a service without a workload cannot be acted on and is not offered at all
    {
      ...service('docs', 'Docs'),
      metadata: { name: 'docs', title: 'Docs' },
    },
  ],
});

function render(options: {
  action?: string;
  onChange?: jest.Mock;
  /** media-upload is in the year-end freeze. */
  frozen?: boolean;
  formData?: string;
}) {
  const api = fakeRunbookApi({
    getRunbook: jest.fn(async (ref: string) =>
      ref === 'component:default/media-upload'
        ? resolution({
            actions: [
              { action: 'scale', allowed: true },
              { action: 'diagnostics', allowed: true },
            ],
            ...(options.frozen ? { freeze: yearEndFreeze } : {}),
          })
        : resolution({
            entityRef: ref,
            actions: [
              {
                action: 'scale',
                allowed: false,
                reason: 'You may not run actions on component:default/checkout',
              },
            ],
          }),
    ),
  });
  const props: any = {
    formData: options.formData,
    onChange: options.onChange ?? jest.fn(),
    required: true,
    rawErrors: [],
    schema: { title: 'Service' },
    uiSchema: { 'ui:options': { action: options.action } },
    idSchema: { $id: 'root_entityRef' },
  };
  return {
    api,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [catalogApiRef, catalogApi],
          [runbookApiRef, api],
        ]}
      >
        <RunbookEntityPicker {...props} />
      </TestApiProvider>,
    ),
  };
}

describe('RunbookEntityPicker', () => {
  it('offers the services the user may run the action on, and shows why not for the rest', async () => {
    const onChange = jest.fn();
    const { api } = render({ action: 'scale', onChange });
    expect(
      await screen.findByText('1 of 2 you may run scale on'),
    ).toBeInTheDocument();
    expect(api.getRunbook).toHaveBeenCalledTimes(2);

    await userEvent.click(screen.getByRole('textbox', { name: /service/i }));
    const checkout = await screen.findByRole('option', { name: /Checkout/ });
    expect(checkout).toHaveAttribute('aria-disabled', 'true');
    expect(checkout).toHaveTextContent(
      'You may not run actions on component:default/checkout',
    );

    await userEvent.click(screen.getByRole('option', { name: /Media Upload/ }));
    expect(onChange).toHaveBeenCalledWith('component:default/media-upload');
  });

  it('says when the user may run the action nowhere', async () => {
    render({ action: 'restart' });
    expect(
      await screen.findByText('You may not run restart on any of them'),
    ).toBeInTheDocument();
  });

  it('tells the template author when ui:options.action is missing or unknown', async () => {
    render({ action: 'reboot' });
    expect(
      await screen.findByText(/RunbookEntityPicker needs ui:options.action/),
    ).toHaveTextContent('got reboot');
  });

  it('names the change freeze of a service in the list and under the field once it is chosen', async () => {
    const until = DateTime.fromISO(yearEndFreeze.until).toLocaleString(
      DateTime.DATETIME_MED,
    );
    const freeze = `Change freeze "year-end" until ${until} (payments peak)`;
    render({
      action: 'scale',
      frozen: true,
      formData: 'component:default/media-upload',
    });
    const notice = await screen.findByRole('status', { name: freeze });
    expect(notice).toHaveTextContent(
      "This template's change to Media Upload will be refused until then. An emergency change is requested from its Runbook tab, naming an open P0 or P1 incident, and waits for another person's approval.",
    );
    await userEvent.click(screen.getByRole('textbox', { name: /service/i }));
    expect(
      await screen.findByRole('option', { name: /Media Upload/ }),
    ).toHaveTextContent(freeze);
    expect(
      screen.getByRole('option', { name: /Checkout/ }),
    ).not.toHaveTextContent('Change freeze');
  });

  it('says nothing of a freeze to a read, which goes on during it', async () => {
    render({
      action: 'diagnostics',
      frozen: true,
      formData: 'component:default/media-upload',
    });
    expect(
      await screen.findByText('1 of 2 you may run diagnostics on'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Change freeze/)).toBeNull();
  });

  it('says nothing of a freeze where none is in force', async () => {
    render({ action: 'scale', formData: 'component:default/media-upload' });
    expect(
      await screen.findByText('1 of 2 you may run scale on'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
