/**
 * The stand-in Graph API in a process of its own, so that answering the server's replies does
 * not slow the load generator's clock. On "report" it sends back how many messages each
 * (phone number id, customer) received.
 */
import { GraphStandIn } from '../../bot/testing/graph-stand-in.ts';

const graph = await GraphStandIn.start();
process.on('message', (command: unknown) => {
  if (command === 'report') {
    const replies: Record<string, number> = {};
    for (const call of graph.sends()) {
      const to = String(Reflect.get(Object(call.body), 'to') ?? '');
      const key = `${call.path.split('/')[1] ?? ''}:${to}`;
      replies[key] = (replies[key] ?? 0) + 1;
    }
    process.send?.({ replies, readReceipts: graph.readReceipts().length });
  } else if (command === 'stop') {
    void graph.close().then(() => process.exit(0));
  }
});
process.send?.({ ready: graph.url });
