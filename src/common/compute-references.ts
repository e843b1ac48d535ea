/**
 * The run's compute references (Tempest's [compute] image_ref, image_ref_alt,
 * flavor_ref, flavor_ref_alt and fixed_network_name), resolved before the run from
 * the user's settings or by discovery (src/services/compute-refs.ts). Checks get
 * them from their context, never from config.
 */
export interface ComputeReferences {
  imageRef: string;
  /** Absent when the cloud offers a single bootable image and none was set. */
  imageRefAlt?: string;
  flavorRef: string;
  flavorRefAlt: string;
  /** The network servers boot on; absent when none had to be chosen. */
  network?: { id: string; name: string };
}
