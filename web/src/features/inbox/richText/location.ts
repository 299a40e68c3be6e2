/** `metadata.location` as the server stores it: `{lat, lng, name?, address?}`. */
export function locationOf(metadata: unknown): { lat: number; lng: number; name?: string; address?: string } | null {
  if (typeof metadata !== 'object' || metadata === null) return null;
  const loc = (metadata as { location?: unknown }).location;
  if (typeof loc !== 'object' || loc === null) return null;
  const { lat, lng, name, address } = loc as Record<string, unknown>;
  if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  return {
    lat,
    lng,
    ...(typeof name === 'string' && name !== '' ? { name } : {}),
    ...(typeof address === 'string' && address !== '' ? { address } : {}),
  };
}
