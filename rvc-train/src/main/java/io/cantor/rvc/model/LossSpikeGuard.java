package io.cantor.rvc.model;

/**
 * Watches the epoch's mean reconstruction loss. When it jumps well above the best epoch so far
 * (training left its basin: the run at {@code small} with a 10x learning rate went from 57 to 220
 * in three epochs and never came back), training goes back to the best epoch's weights and
 * optimiser state and continues with half the learning rate. A pure policy: the trainer keeps
 * the snapshot and acts on the verdict.
 */
public final class LossSpikeGuard {
    /** An epoch this many times worse than the best one is a spike, not noise (epoch means vary by ~10 %). */
    public static final double SPIKE_FACTOR = 1.5;
    /** Rollbacks after which the run is declared diverged: the learning rate is then 1/16 of the one asked for. */
    public static final int MAX_ROLLBACKS = 4;

    public enum Verdict {
        /** The best epoch so far: keep a snapshot of it. */
        NEW_BEST,
        /** Neither best nor a spike. */
        KEEP,
        /** A spike: restore the best epoch's snapshot; the learning rate scale has been halved. */
        ROLL_BACK
    }

    private double best = Double.NaN;
    private int bestEpoch;
    private int rollbacks;
    private double learningRateScale;

    /**
     * A guard that goes on from a checkpoint: its best loss and epoch (NaN and 0 if none), the
     * learning rate scale and the rollbacks so far.
     */
    public LossSpikeGuard(double best, int bestEpoch, double learningRateScale, int rollbacks) {
        if (!(learningRateScale > 0 && learningRateScale <= 1)) {
            throw new IllegalArgumentException("learning rate scale must be in (0, 1]: " + learningRateScale);
        }
        this.best = best;
        this.bestEpoch = bestEpoch;
        this.learningRateScale = learningRateScale;
        this.rollbacks = rollbacks;
    }

    public LossSpikeGuard() {
        this(Double.NaN, 0, 1, 0);
    }

    /**
     * @param meanLoss the epoch's mean reconstruction loss; not finite when every step was skipped
     * @throws io.cantor.rvc.TrainingDivergedException on a spike after {@link #MAX_ROLLBACKS} rollbacks
     */
    public Verdict afterEpoch(int epoch, double meanLoss) {
        if (!Double.isFinite(meanLoss)) {
            return Verdict.KEEP; // skipped steps have their own limit in the trainer
        }
        if (Double.isNaN(best) || meanLoss < best) {
            best = meanLoss;
            bestEpoch = epoch;
            return Verdict.NEW_BEST;
        }
        if (meanLoss > best * SPIKE_FACTOR) {
            if (rollbacks >= MAX_ROLLBACKS) {
                throw new io.cantor.rvc.TrainingDivergedException(String.format(
                        "training diverged: epoch %d's loss %.4g is over %.1fx the best (%.4g, epoch %d) after %d rollbacks "
                                + "to lower learning rates; lower learningRate or change seed",
                        epoch, meanLoss, SPIKE_FACTOR, best, bestEpoch, rollbacks));
            }
            rollbacks++;
            learningRateScale /= 2;
            return Verdict.ROLL_BACK;
        }
        return Verdict.KEEP;
    }

    /** What the scheduled learning rate is multiplied by: 1, halved by each rollback. */
    public double learningRateScale() {
        return learningRateScale;
    }

    public int rollbacks() {
        return rollbacks;
    }

    public double best() {
        return best;
    }

    public int bestEpoch() {
        return bestEpoch;
    }
}
