import { z } from 'zod';

const schema = z.object({
  /** Prefix for API calls; empty means same origin (the server serves the SPA). */
  VITE_API_BASE_URL: z.string().default(''),
});

/** Build-time environment, validated once. */
export const env = schema.parse(import.meta.env);
