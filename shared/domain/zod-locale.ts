import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * `zod/mini` loads no locale (classic `zod` loads English on import), so without this every
 * issue would read "Invalid input". Imported for its effect by every module that builds schemas
 * whose messages reach a caller: the domain model, the runtime config and the deploy config.
 */
z.config(en());
