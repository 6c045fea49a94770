import { ReactNode } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import Skeleton from '@material-ui/lab/Skeleton';
import type { LoaderState } from '../../hooks/useLoader';

/** A card that shows a skeleton of `height` while loading, the error, or the content. */
export function LoadedCard<T>(props: {
  title: string;
  state: LoaderState<T>;
  height: number;
  children: (value: T) => ReactNode;
}) {
  const { title, state, height, children } = props;
  return (
    <InfoCard title={title}>
      {state.error && <ResponseErrorPanel error={state.error} />}
      {!state.error && state.value === undefined && (
        <Skeleton
          variant="rect"
          height={height}
          aria-label={`Loading ${title}`}
        />
      )}
      {state.value !== undefined && children(state.value)}
    </InfoCard>
  );
}
