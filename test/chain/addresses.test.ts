import { secp256k1 } from '@noble/curves/secp256k1';
import { HDKey } from '@scure/bip32';
import { publicKeyToAddress } from 'viem/accounts';
import { toHex } from 'viem';
import { depositAddress } from '../../shared/chain';
import { accountXpub, HARDHAT_MNEMONIC, MERCHANT_MNEMONIC } from '../../local/chain/accounts';

/** hardhat's first accounts, m/44'/60'/0'/0/0..2 of its mnemonic, as every hardhat node lists them. */
const HARDHAT_ACCOUNTS = [
  '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
];

describe('deposit addresses from an xpub', () => {
  it("are hardhat's known accounts for hardhat's mnemonic", () => {
    const xpub = accountXpub(HARDHAT_MNEMONIC);
    expect(HARDHAT_ACCOUNTS.map((_, i) => depositAddress(xpub, i))).toEqual(HARDHAT_ACCOUNTS);
  });

  it('match @scure/bip32 child by child, at small and large indexes', () => {
    const xpub = accountXpub(MERCHANT_MNEMONIC);
    const external = HDKey.fromExtendedKey(xpub).deriveChild(0);
    for (const index of [0, 1, 2, 19, 20, 1000, 65_535, 2 ** 31 - 1]) {
      const child = external.deriveChild(index);
      const expected = publicKeyToAddress(
        toHex(secp256k1.Point.fromHex(child.publicKey ?? new Uint8Array()).toBytes(false)),
      ).toLowerCase();
      expect([index, depositAddress(xpub, index)]).toEqual([index, expected]);
    }
  });

  it('refuse hardened and negative indexes: an xpub cannot derive them', () => {
    const xpub = accountXpub(MERCHANT_MNEMONIC);
    expect(() => depositAddress(xpub, 2 ** 31)).toThrow('not a non-hardened BIP32 index');
    expect(() => depositAddress(xpub, -1)).toThrow('not a non-hardened BIP32 index');
  });
});
