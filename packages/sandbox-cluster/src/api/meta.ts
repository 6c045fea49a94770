import { randomUUID, randomInt } from 'node:crypto';
import { KubeObject, OwnerReference } from '../store/types';

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function timestamp(at: number = Date.now()) {
  return new Date(Math.floor(at / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

export const newUid = () => randomUUID();

// The alphabet Kubernetes uses for generated names: no vowels, no look-alike digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5) {
  let out = '';
  for (let i = 0; i < length; i += 1)
    out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** 32-bit FNV-1a of a string's UTF-8 bytes, the hash Kubernetes controllers name things by. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** apimachinery's `rand.SafeEncodeString`: each character mapped into the alphabet above. */
export function safeEncode(text: string) {
  let out = '';
  for (const ch of text) out += ALPHABET[ch.codePointAt(0)! % ALPHABET.length];
  return out;
}

/** The owner reference a controller puts on what it creates. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(object: KubeObject, owner: KubeObject) {
  return (object.metadata.ownerReferences ?? []).some(
    r => r.controller && r.uid === owner.metadata.uid,
  );
}

/** `namespace/name`: how controllers queue objects and lists order them. */
export function objectKey(object: KubeObject) {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
