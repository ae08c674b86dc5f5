// Builds the server bundle dist/server (see bin/server-bundle.mjs); run by `npm ci` (prepare),
// `npm test` and `npm run bench`.
import { buildServerBundle } from '../bin/server-bundle.mjs';

await buildServerBundle();
