package io.cantor.model;

/**
 * What an agent last reported about a running job.
 *
 * @param stage            pipeline stage, e.g. {@code preprocess}, {@code features}, {@code train}, {@code evaluate}
 * @param loss             current training loss (null before the first step, or when it is not finite:
 *                         JSON has no NaN, and a heartbeat must never be refused for a number)
 * @param samplesPerSecond training throughput in chunks per second
 * @param etaSeconds       estimated seconds to the end of training, -1 when unknown
 */
public record Progress(String stage, int epoch, int epochs, long step, long steps, Double loss,
                       double samplesPerSecond, long etaSeconds) {

    public Progress {
        if (loss != null && !Double.isFinite(loss)) {
            loss = null;
        }
        if (!Double.isFinite(samplesPerSecond) || samplesPerSecond < 0) {
            samplesPerSecond = 0;
        }
    }

    public static Progress stage(String stage) {
        return new Progress(stage, 0, 0, 0, 0, null, 0, -1);
    }
}
