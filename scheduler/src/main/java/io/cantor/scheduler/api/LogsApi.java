package io.cantor.scheduler.api;


import io.cantor.scheduler.logs.JobLog;
import io.cantor.scheduler.logs.JobLogs;
import io.cantor.scheduler.store.JobStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code GET /jobs/{id}/logs}: the job's training log as text. With {@code follow=true} the
 * answer stays open and new lines arrive as the agent sends them, until the job ends.
 */
final class LogsApi {
    private final Vertx vertx;
    private final JobsApi jobs;
    private final JobStore store;
    private final JobLogs logs;

    LogsApi(Vertx vertx, JobsApi jobs, JobStore store, JobLogs logs) {
        this.vertx = vertx;
        this.jobs = jobs;
        this.store = store;
        this.logs = logs;
    }

    void get(RoutingContext ctx) {
        boolean follow = "true".equals(ctx.queryParams().get("follow"));
        jobs.ownJob(ctx).onSuccess(job -> {
            HttpServerResponse response = ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8");
            if (!follow || job.state().isTerminal()) {
                logs.read(job.id()).onSuccess(log -> response.end(text(log.map(JobLog::lines).orElse(List.of()))))
                        .onFailure(ctx::fail);
                return;
            }
            response.setChunked(true);
            MessageConsumer<String> live = vertx.eventBus().consumer(JobLogs.ADDRESS + job.id(),
                    m -> response.write(m.body() + "\n"));
            long watch = vertx.setPeriodic(1000, t -> store.find(job.id()).onSuccess(now -> {
                if (now.isEmpty() || now.get().state().isTerminal()) {
                    live.unregister();
                    if (!response.ended()) {
                        response.end();
                    }
                }
            }));
            response.closeHandler(v -> {
                live.unregister();
                vertx.cancelTimer(watch);
            });
            response.endHandler(v -> vertx.cancelTimer(watch));
            live.completion().compose(v -> logs.read(job.id()))
                    .onSuccess(log -> response.write(text(log.map(JobLog::lines).orElse(List.of()))))
                    .onFailure(e -> response.reset());
        }).onFailure(ctx::fail);
    }

    private static String text(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (String line : lines) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

}
