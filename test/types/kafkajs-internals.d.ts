// kafkajs's own record-batch encoder, used by a test to get a real client's bytes (kafkajs is pinned).
declare module 'kafkajs/src/protocol/recordBatch/v0/index.js';
declare module 'kafkajs/src/protocol/recordBatch/record/v0/index.js';
