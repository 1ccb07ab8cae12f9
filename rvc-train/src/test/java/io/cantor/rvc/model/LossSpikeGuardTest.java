package io.cantor.rvc.model;

import io.cantor.rvc.TrainingDivergedException;
import org.junit.jupiter.api.Test;

import static io.cantor.rvc.model.LossSpikeGuard.Verdict.KEEP;
import static io.cantor.rvc.model.LossSpikeGuard.Verdict.NEW_BEST;
import static io.cantor.rvc.model.LossSpikeGuard.Verdict.ROLL_BACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossSpikeGuardTest {

    @Test
    void noiseAboveTheBestIsKeptAndASpikeRollsBackWithHalfTheLearningRate() {
        LossSpikeGuard guard = new LossSpikeGuard();
        assertEquals(NEW_BEST, guard.afterEpoch(1, 78.9));
        assertEquals(NEW_BEST, guard.afterEpoch(2, 57.8));
        assertEquals(KEEP, guard.afterEpoch(3, 62.3), "10 % above the best is noise");
        assertEquals(1.0, guard.learningRateScale());
        assertEquals(ROLL_BACK, guard.afterEpoch(4, 120.3), "the small run's epoch 72");
        assertEquals(0.5, guard.learningRateScale());
        assertEquals(2, guard.bestEpoch());
        assertEquals(57.8, guard.best());
        assertEquals(NEW_BEST, guard.afterEpoch(5, 55.0));
        assertEquals(5, guard.bestEpoch());
    }

    @Test
    void aLossThatIsNotFiniteIsLeftToTheSkippedStepLimit() {
        LossSpikeGuard guard = new LossSpikeGuard();
        assertEquals(NEW_BEST, guard.afterEpoch(1, 10));
        assertEquals(KEEP, guard.afterEpoch(2, Double.NaN));
        assertEquals(KEEP, guard.afterEpoch(3, Double.POSITIVE_INFINITY));
        assertEquals(0, guard.rollbacks());
    }

    @Test
    void spikesAfterTheLastRollbackFailTheRun() {
        LossSpikeGuard guard = new LossSpikeGuard();
        guard.afterEpoch(1, 10);
        for (int i = 0; i < LossSpikeGuard.MAX_ROLLBACKS; i++) {
            assertEquals(ROLL_BACK, guard.afterEpoch(2 + i, 100));
        }
        assertEquals(1.0 / 16, guard.learningRateScale());
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.afterEpoch(9, 100));
        assertTrue(e.getMessage().contains("best (10.00, epoch 1)"), e.getMessage());
    }

    @Test
    void aResumedRunKeepsItsBestLossAndLoweredLearningRate() {
        LossSpikeGuard guard = new LossSpikeGuard(40, 6, 0.25, 2);
        assertEquals(0.25, guard.learningRateScale());
        assertEquals(KEEP, guard.afterEpoch(8, 50));
        assertEquals(ROLL_BACK, guard.afterEpoch(9, 61), "measured against the best before the restart");
        assertEquals(3, guard.rollbacks());
        assertEquals(0.125, guard.learningRateScale());
        assertThrows(IllegalArgumentException.class, () -> new LossSpikeGuard(Double.NaN, 0, 0, 0));
    }
}
