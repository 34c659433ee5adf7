package org.solstice.orchestrator.bench.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The label queues of the direct exchange {@code solstice.jobs.labels}, as far as the model needs them: one FIFO
 * queue per label, its consumers (one per host serving the label), and round-robin delivery among the consumers
 * that have room. Not RabbitMQ: no latency, no credit flow, no memory or disk.
 */
final class Broker {
    private final List<ArrayDeque<SimJob>> queues = new ArrayList<>();
    private final SimHost[][] consumers;
    private final int[] next;
    long deliveries;

    Broker(FleetModel model, SimHost[] hosts) {
        consumers = new SimHost[model.labels()][];
        next = new int[model.labels()];
        for (int l = 0; l < model.labels(); l++) {
            queues.add(new ArrayDeque<>());
            int[] serving = model.hostsOfLabel[l];
            consumers[l] = new SimHost[serving.length];
            for (int k = 0; k < serving.length; k++) {
                consumers[l][k] = hosts[serving[k]];
            }
        }
    }

    /** A label is routable when some host declared and bound its queue. */
    boolean routable(int label) {
        return label < consumers.length && consumers[label].length > 0;
    }

    void publish(SimJob job) {
        queues.get(job.label).addLast(job);
    }

    /** Deliveries a dead consumer held go back to the head of the queue, in their order. */
    void requeue(int label, ArrayDeque<SimJob> jobs) {
        Iterator<SimJob> backwards = jobs.descendingIterator();
        while (backwards.hasNext()) {
            queues.get(label).addFirst(backwards.next());
        }
    }

    /** Hands the label's queued messages to consumers with room, round-robin, until none has room. */
    void dispatch(int label, Delivery delivery) {
        ArrayDeque<SimJob> queue = queues.get(label);
        SimHost[] serving = consumers[label];
        while (!queue.isEmpty()) {
            SimHost target = null;
            for (int k = 0; k < serving.length && target == null; k++) {
                int candidate = (next[label] + k) % serving.length;
                if (serving[candidate].room(label) > 0) {
                    target = serving[candidate];
                    next[label] = (candidate + 1) % serving.length;
                }
            }
            if (target == null) {
                return;
            }
            deliveries++;
            delivery.deliver(target, queue.pollFirst());
        }
    }

    /** Arrival time of the oldest message waiting in the label's queue, or +infinity. */
    double headArrival(int label) {
        SimJob head = queues.get(label).peekFirst();
        return head == null ? Double.POSITIVE_INFINITY : head.arrival;
    }

    int queued(int label) {
        return queues.get(label).size();
    }

    interface Delivery {
        void deliver(SimHost host, SimJob job);
    }
}
