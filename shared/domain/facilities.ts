// Emergency facilities: shelters (应急避难场所) and civil-defense works (人防工程) of a community.

export const FACILITY_KINDS = ['shelter', 'civil-defense'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export type Facility = {
  id: string;
  name: string;
  address: string;
  /** WGS-84 degrees. */
  lat: number;
  lng: number;
  /** People it can hold. */
  capacity: number;
  kind: FacilityKind;
  community: string;
};
