import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';

/** hardhat's default accounts: m/44'/60'/0'/0/i of this phrase, each funded with 10000 ETH. */
export const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';

/**
 * The merchant's wallet on the local chain (make dev, tests, benches): another public phrase, so
 * deposit addresses are never hardhat's funded accounts. Anyone can spend from it. Only its
 * account-level xpub is given to the service, as in production.
 */
export const MERCHANT_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

export function accountXpub(mnemonic: string): string {
  return HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive("m/44'/60'/0'").publicExtendedKey;
}
