import { secp256k1 } from '@noble/curves/secp256k1';
import { hmac } from '@noble/hashes/hmac';
import { sha512 } from '@noble/hashes/sha2';
import { HDKey } from '@scure/bip32';
import { keccak256, toHex } from 'viem';

type Point = typeof secp256k1.Point.BASE;

interface ExternalChain {
  point: Point;
  compressed: Uint8Array;
  chainCode: Uint8Array;
}

/** The external chain m/44'/60'/0'/0 of each account xpub, parsed and derived once. */
const externalChains = new Map<string, ExternalChain>();

function externalChain(accountXpub: string): ExternalChain {
  let chain = externalChains.get(accountXpub);
  if (!chain) {
    const key = HDKey.fromExtendedKey(accountXpub).deriveChild(0);
    if (!key.publicKey || !key.chainCode) throw new Error('BIP32 derivation gave no public key');
    chain = { point: secp256k1.Point.fromHex(key.publicKey), compressed: key.publicKey, chainCode: key.chainCode };
    externalChains.set(accountXpub, chain);
  }
  return chain;
}

/**
 * The deposit address of index i: m/44'/60'/0'/0/i, derived from the account's extended public key.
 * Only public derivation is possible from an xpub, so the service can never spend what it receives.
 *
 * The last step is BIP32's CKDpub written out on @noble/curves rather than HDKey.deriveChild:
 * deriveChild keeps points compressed and so takes three modular square roots per child (parse the
 * parent, check the child, and ours to uncompress it for the address), which made address derivation
 * a quarter of an invoice's CPU time. Here the parent point is parsed once and the child stays a
 * point. The result is checked against @scure/bip32 and hardhat's known accounts in the tests.
 */
export function depositAddress(accountXpub: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 31)
    throw new Error(`not a non-hardened BIP32 index: ${String(index)}`);
  const chain = externalChain(accountXpub);
  const data = new Uint8Array(37);
  data.set(chain.compressed);
  new DataView(data.buffer).setUint32(33, index);
  const tweak = BigInt(toHex(hmac(sha512, chain.chainCode, data).subarray(0, 32)));
  // BIP32: an out-of-range tweak or the point at infinity (odds ~2^-127) means "use the next index".
  if (tweak === 0n || tweak >= secp256k1.Point.CURVE().n)
    throw new Error(`BIP32 index ${String(index)} is invalid for this key; skip it`);
  const child = chain.point.add(secp256k1.Point.BASE.multiply(tweak));
  if (child.equals(secp256k1.Point.ZERO))
    throw new Error(`BIP32 index ${String(index)} is invalid for this key; skip it`);
  // An Ethereum address is the last 20 bytes of keccak256 of the uncompressed point without its 0x04.
  return `0x${keccak256(child.toBytes(false).subarray(1)).slice(-40)}`;
}
