import { defineAction } from '../definition';
import { noInput } from '../parts';

/** Delete the idle colour's Deployment once a switch has held. */
export const blueGreenDecommissionAction = defineAction({
  name: 'blue-green-decommission',
  title: 'Blue-green decommission',
  description: "Delete the idle colour's Deployment once a switch has held.",
  input: noInput,
  fields: [],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'high',
  family: 'blue-green',
});
