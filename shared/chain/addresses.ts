import { secp256k1 } from '@noble/curves/secp256k1';
import { HDKey } from '@scure/bip32';
import { publicKeyToAddress } from 'viem/accounts';
import { toHex } from 'viem';

/**
 * The deposit address of index i: m/44'/60'/0'/0/i, derived from the account's extended public key.
 * Only public derivation is possible from an xpub, so the service can never spend what it receives.
 */
export function depositAddress(accountXpub: HDKey | string, index: number): string {
  const account = typeof accountXpub === 'string' ? HDKey.fromExtendedKey(accountXpub) : accountXpub;
  const child = account.deriveChild(0).deriveChild(index);
  if (!child.publicKey) throw new Error('BIP32 derivation gave no public key');
  // BIP32 keeps keys compressed; an Ethereum address hashes the uncompressed point.
  const uncompressed = secp256k1.Point.fromHex(child.publicKey).toBytes(false);
  return publicKeyToAddress(toHex(uncompressed)).toLowerCase();
}
