/** Entry of the bundled Action (action/dist/index.js). */
import { runPublishAction } from './publish-action.ts';

await runPublishAction();
