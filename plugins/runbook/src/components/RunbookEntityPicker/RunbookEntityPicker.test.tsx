import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
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

function render(options: { action?: string; onChange?: jest.Mock }) {
  const api = fakeRunbookApi({
    getRunbook: jest.fn(async (ref: string) =>
      ref === 'component:default/media-upload'
        ? resolution({ actions: [{ action: 'scale', allowed: true }] })
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
    formData: undefined,
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
});
