import { getAddress } from 'viem';

/**
 * An EIP-681 payment request: what a wallet opens from a link or a QR code. viem builds transactions,
 * not these URIs, so the two shapes are written here:
 *   native coin: ethereum:<to>@<chainId>?value=<wei>
 *   ERC-20:      ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<units>
 * Addresses are checksummed (EIP-55) so a wallet can check them; amounts are plain base-unit integers.
 */
export function paymentUri(request: { chainId: number; asset: string; to: string; amount: bigint }): string {
  const to = getAddress(request.to);
  const amount = request.amount.toString();
  if (request.asset === 'native') return `ethereum:${to}@${String(request.chainId)}?value=${amount}`;
  const token = getAddress(request.asset);
  return `ethereum:${token}@${String(request.chainId)}/transfer?address=${to}&uint256=${amount}`;
}
