import { z } from 'zod';

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.string(),
});

export const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
});

/** `GET /auth/me`. */
export const sessionSchema = z.object({ user: userSchema, tenant: tenantSchema });

/** `POST /auth/login`: the session plus a bearer token (the cookie is what the SPA uses). */
export const loginResponseSchema = sessionSchema.extend({ token: z.string() });

export type User = z.infer<typeof userSchema>;
export type Tenant = z.infer<typeof tenantSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export interface LoginInput {
  workspace: string;
  email: string;
  password: string;
}
