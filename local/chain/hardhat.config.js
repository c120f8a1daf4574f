// The local EVM node of `make dev` and the tests: hardhat 2's in-process network, served by
// `hardhat node --config local/chain/hardhat.config.js`. Nothing here compiles: contracts are built
// with the solc npm package (hardhat cannot download a compiler on this machine).
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      // Blocks are mined per transaction; tests add confirmations with hardhat_mine.
      mining: { auto: true },
    },
  },
};
