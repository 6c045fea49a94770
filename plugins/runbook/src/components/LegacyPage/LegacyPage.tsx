import { ReactNode } from 'react';
import { Header, Page } from '@backstage/core-components';

/**
 * The page frame of the legacy frontend system; in the new system PageBlueprint draws
 * the header from the extension's title instead.
 */
export const LegacyPage = (props: { title: string; children: ReactNode }) => (
  <Page themeId="tool">
    <Header title={props.title} />
    {props.children}
  </Page>
);
