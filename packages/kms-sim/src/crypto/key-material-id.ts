import { createHmac } from 'node:crypto';

/**
 * KeyMaterialId: 64 hex, the same for the same key and material, keyed by the simulator's own
 * secret so it reveals nothing about the material. Replicas of a multi-Region key share
 * their key id, so the same material gets the same id in every Region.
 */
export function keyMaterialIdOf(secret: Buffer, keyId: string, material: Buffer): string {
  return createHmac('sha256', secret)
    .update(Buffer.from(keyId, 'utf8'))
    .update(Buffer.from([0]))
    .update(material)
    .digest('hex');
}
