/** Build-time environment. */
export const env = {
  /** Prefix for API calls; empty means same origin (the server serves the SPA). */
  VITE_API_BASE_URL: typeof import.meta.env.VITE_API_BASE_URL === 'string' ? import.meta.env.VITE_API_BASE_URL : '',
};
