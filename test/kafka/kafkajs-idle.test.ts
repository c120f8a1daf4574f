import type { RunningBroker } from '../../local/broker';
import { kafkaClient, startTestBroker } from '../broker/helpers';

// kafkajs 2.2.4 re-arms a 1 ms timer forever on every idle connection (its issues #1556, #1704): CPU
// burnt by each relay, standby or not, and by every KafkaSource of the local platform; on Node 24 the
// relay also warns of the timer's negative delay. patches/ carries the fix, applied by npm ci
// (package.json's postinstall).
let broker: RunningBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.close();
});

it('leaves an idle producer connection without timers firing', async () => {
  const producer = kafkaClient(broker.address, 'idle-check').producer();
  await producer.connect();
  await producer.send({ topic: 'idle-check', messages: [{ value: 'one' }] });
  const armed = jest.spyOn(global, 'setTimeout');
  try {
    await new Promise((resolve) => {
      setTimeout(resolve, 500);
    });
    // The wait's own timer only (kafkajs' request timeouts are one interval set at connect).
    expect(armed.mock.calls.length).toBeLessThan(5);
  } finally {
    armed.mockRestore();
    await producer.disconnect();
  }
});
