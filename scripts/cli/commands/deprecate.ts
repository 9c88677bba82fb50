import { lifecycleCommand } from '../../lifecycle/lifecycle-command.ts';

export default lifecycleCommand('deprecate');
