/**
 * Band roles: which band of an image is blue, green, red or near-infrared. Indices and
 * cues (vegetation, water) need them; they are inferred from the band count unless given.
 */

export interface BandRoles {
  blue?: number;
  green?: number;
  red?: number;
  nir?: number;
}

/**
 * Conventional band orders: 3 bands = RGB, 4 = RGB + NIR (aerial and PlanetScope-style
 * products), 12/13 = Sentinel-2 L2A/L1C (B1, B2 blue, B3 green, B4 red, ..., B8 NIR at 7).
 */
export function inferBandRoles(bands: number): BandRoles {
  if (bands === 3) return { red: 0, green: 1, blue: 2 };
  if (bands === 4) return { red: 0, green: 1, blue: 2, nir: 3 };
  if (bands === 12 || bands === 13) return { blue: 1, green: 2, red: 3, nir: 7 };
  return {};
}

/** The band indices in `roles` that do not exist in an image of `bands` bands. */
export function invalidRoles(roles: BandRoles, bands: number): string[] {
  return Object.entries(roles)
    .filter(([, index]) => index !== undefined && (index < 0 || index >= bands))
    .map(([role, index]) => `${role}=${index}`);
}
