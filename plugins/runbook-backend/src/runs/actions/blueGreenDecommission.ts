import { ConflictError } from '@backstage/errors';
import { colourState, otherColour } from '../../kubernetes/snapshot';
import { portable } from './patches';
import type { ClusterPlanner } from './clusterChange';

/** Deletes the idle colour once a switch has held; the undo recreates it. */
export const blueGreenDecommission: ClusterPlanner<'blue-green-decommission'> =
  {
    refusal: ({ live, lastRunOfFamily: last }) => {
      if (!live) return undefined;
      if (!live.idle) return `There is no idle colour to decommission`;
      if (last?.action !== 'blue-green-switch' || last.status !== 'succeeded') {
        return `Decommission is allowed only after a blue-green switch has held; the last blue-green run was ${
          last ? `${last.action} (${last.status})` : 'none'
        }`;
      }
      return undefined;
    },
    plan: (_input, s) => {
      if (!s.idle)
        throw new ConflictError('There is no idle colour to decommission');
      const idleName = s.idle.metadata.name;
      return {
        forward: [{ type: 'delete', kind: 'Deployment', name: idleName }],
        undo: {
          operations: [
            {
              type: 'create',
              kind: 'Deployment',
              name: idleName,
              body: portable(s.idle),
            },
          ],
          waitFor: [],
        },
        convergence: { kind: 'none' },
        before: {
          idle: colourState(
            s.idle,
            otherColour(s.liveColour),
            s.target.service,
          ),
        },
      };
    },
  };
