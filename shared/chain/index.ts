export { depositAddress } from './addresses';
export { assetsOf, describeAsset, findAsset, type Asset } from './assets';
export { chainConfigSchema, depositConfigSchema, type ChainConfig } from './config';
