import { createTestClient, erc20Abi, http, publicActions, walletActions, type Address } from 'viem';
import { hardhat } from 'viem/chains';

/** One viem client for the local chain node: reads, sends from hardhat's unlocked accounts, and hardhat_* calls. */
export function chainClient(rpcUrl: string) {
  return createTestClient({ chain: hardhat, mode: 'hardhat', transport: http(rpcUrl), cacheTime: 0 })
    .extend(publicActions)
    .extend(walletActions);
}

export type ChainClient = ReturnType<typeof chainClient>;

/** hardhat's funded accounts 0-9 (m/44'/60'/0'/0/i of its default phrase). */
export const payers = {
  alice: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  bob: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
  deployer: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
} as const satisfies Record<string, Address>;

export async function payNative(client: ChainClient, from: Address, to: string, wei: bigint): Promise<string> {
  const hash = await client.sendTransaction({ account: from, to: to as Address, value: wei, chain: hardhat });
  await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  return hash;
}

export async function payToken(
  client: ChainClient,
  token: Address,
  from: Address,
  to: string,
  units: bigint,
): Promise<string> {
  const hash = await client.writeContract({
    address: token,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [to as Address, units],
    account: from,
    chain: hardhat,
  });
  await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  return hash;
}
