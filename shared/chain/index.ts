export { depositAddress } from './addresses';
export { assetsOf, describeAsset, findAsset, type Asset } from './assets';
export { chainConfigSchema, type ChainConfig } from './config';
