package io.cantor.scheduler.queue;

import io.cantor.model.Job;

/** What the dispatcher reports: claims won (with their compare-and-set latency) and races lost. */
public interface DispatchMetrics {
    DispatchMetrics NONE = new DispatchMetrics() {
        @Override
        public void claimed(Job job, long casNanos) {
        }

        @Override
        public void lostRace() {
        }
    };

    void claimed(Job job, long casNanos);

    void lostRace();
}
