import { z } from 'zod/mini';
import type { Schemas } from '@/lib/api';

export type Role = Schemas['Role'];
export const ROLES = ['ADMIN', 'MANAGER', 'AGENT'] as const satisfies readonly Role[];

export type User = Schemas['SessionUser'];
export type Tenant = Schemas['SessionTenant'];
export type Session = Schemas['MeResponse'];
export type LoginInput = Schemas['LoginRequest'];

// The session drives everything the app shows, so its shape is also checked at run time.
export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
}) satisfies z.ZodMiniType<User>;

export const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
}) satisfies z.ZodMiniType<Tenant>;

/** `GET /auth/me`. */
export const sessionSchema = z.object({ user: userSchema, tenant: tenantSchema }) satisfies z.ZodMiniType<Session>;

/** `POST /auth/login`: the session plus a bearer token (the cookie is what the SPA uses). */
export const loginResponseSchema = z.extend(sessionSchema, { token: z.string() });
export type LoginResult = z.infer<typeof loginResponseSchema>;
